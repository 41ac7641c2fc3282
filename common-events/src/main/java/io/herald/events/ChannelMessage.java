package io.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Objects;

/**
 * What one channel delivers, rendered for the user: one type per channel, so that a new
 * channel breaks every exhaustive {@code switch} that must handle it. The JSON names the
 * channel in {@code channel}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "channel")
@JsonSubTypes({ @JsonSubTypes.Type(value = ChannelMessage.InApp.class, name = "inapp"),
		@JsonSubTypes.Type(value = ChannelMessage.Push.class, name = "push"),
		@JsonSubTypes.Type(value = ChannelMessage.Email.class, name = "email"),
		@JsonSubTypes.Type(value = ChannelMessage.Sms.class, name = "sms") })
public sealed interface ChannelMessage {

	/** The channel this message travels. */
	@JsonIgnore
	Channel channel();

	/** A notification for the user's in-app inbox. */
	record InApp(String title, String body) implements ChannelMessage {

		public InApp {
			Objects.requireNonNull(title, "title");
			Objects.requireNonNull(body, "body");
		}

		@Override
		public Channel channel() {
			return Channel.INAPP;
		}

	}

	/** A push notification for every one of the user's devices. */
	record Push(String title, String body, List<Device> devices) implements ChannelMessage {

		public Push {
			Objects.requireNonNull(title, "title");
			Objects.requireNonNull(body, "body");
			devices = List.copyOf(devices);
		}

		@Override
		public Channel channel() {
			return Channel.PUSH;
		}

	}

	/** An email with a plain-text part and, optionally, an HTML part. */
	record Email(String to, String subject, String text, @Nullable String html) implements ChannelMessage {

		public Email {
			Objects.requireNonNull(to, "to");
			Objects.requireNonNull(subject, "subject");
			Objects.requireNonNull(text, "text");
		}

		@Override
		public Channel channel() {
			return Channel.EMAIL;
		}

	}

	/** A text message to an E.164 number. */
	record Sms(String to, String body) implements ChannelMessage {

		public Sms {
			Objects.requireNonNull(to, "to");
			Objects.requireNonNull(body, "body");
		}

		@Override
		public Channel channel() {
			return Channel.SMS;
		}

	}

}

package io.herald.delivery.receipt;

import io.herald.delivery.provider.Send;
import io.herald.events.Channel;
import io.herald.events.JsonCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Receipt references, in Redis: for each send of a channel that gets receipts, the
 * delivery it belongs to, under a reference the provider hands back with every receipt
 * (in the status callback's URL, in the bounce address). The reference is the send's
 * stable id ({@link Send#stableId()}, 32 hex digits): the same on every try of the send,
 * the one in the email's {@code Message-ID}, and no personal data.
 *
 * <p>
 * A reference is written before the provider is called ({@link #expect}), so no receipt,
 * however fast, can come before it, and kept for {@link ReceiptProperties#retention()}.
 * Keys: {@code herald:receipt:<reference>} (the delivery, as JSON) and
 * {@code herald:receipt:<reference>:<kind>} (a short lease while the receipt of that kind
 * is being recorded, then kept for the retention once it is: a repeated receipt changes
 * nothing).
 */
@Component
public class ReceiptReferences {

	private static final Logger logger = LoggerFactory.getLogger(ReceiptReferences.class);

	private static final String PREFIX = "herald:receipt:";

	private static final Pattern REFERENCE = Pattern.compile("[0-9a-f]{32}");

	private final StringRedisTemplate redis;

	private final ReceiptProperties properties;

	private final Set<Channel> channels;

	ReceiptReferences(StringRedisTemplate redis, ReceiptProperties properties, List<ReceiptChannel> channels) {
		this.redis = redis;
		this.properties = properties;
		this.channels = channels.isEmpty() ? EnumSet.noneOf(Channel.class)
				: EnumSet.copyOf(channels.stream().map(ReceiptChannel::channel).toList());
	}

	/** The receipt reference of a send. */
	public static String of(Send send) {
		return send.stableId().replace("-", "");
	}

	/** Whether {@code text} has the shape of a reference: 32 lower-case hex digits. */
	public static boolean isReference(@Nullable String text) {
		return text != null && REFERENCE.matcher(text).matches();
	}

	/** Whether the sends of a channel get receipts. */
	public boolean expected(Channel channel) {
		return this.channels.contains(channel);
	}

	/**
	 * Records the send's reference if its channel gets receipts; called before the
	 * provider is.
	 * @throws org.springframework.dao.DataAccessException when Redis fails: the send must
	 * then not be made
	 */
	public void expect(Send send) {
		if (!expected(send.channel())) {
			return;
		}
		var notification = send.notification();
		ReceiptTarget target = new ReceiptTarget(notification.tenant(), notification.eventId(), notification.userId(),
				send.channel(), (send.device() != null) ? send.device().label() : null);
		this.redis.opsForValue()
			.set(PREFIX + of(send), JsonCodec.MAPPER.writeValueAsString(target), this.properties.retention());
	}

	/**
	 * The delivery of a reference, or {@code null} for one Herald did not hand out, or no
	 * longer keeps.
	 */
	@Nullable ReceiptTarget find(String reference) {
		if (!isReference(reference)) {
			return null;
		}
		String json = this.redis.opsForValue().get(PREFIX + reference);
		if (json == null) {
			return null;
		}
		try {
			return JsonCodec.MAPPER.readValue(json, ReceiptTarget.class);
		}
		catch (JacksonException ex) {
			logger.warn("Unreadable receipt reference {}: {}", reference, ex.getMessage());
			return null;
		}
	}

	/**
	 * Claims the recording of a reference's receipt of one kind, for a lease of twice
	 * {@link ReceiptProperties#writeTimeout()}: a recording that never ends (the process
	 * was killed) lets the receipt be recorded again once the lease is over.
	 * @return {@code false} when it was recorded before, or is being recorded
	 */
	boolean claim(String reference, String kind) {
		Boolean set = this.redis.opsForValue()
			.setIfAbsent(PREFIX + reference + ":" + kind, "1", this.properties.writeTimeout().multipliedBy(2));
		return Boolean.TRUE.equals(set);
	}

	/**
	 * Turns a claim into the mark of a recorded receipt, kept for
	 * {@link ReceiptProperties#retention()}; called once its records are durable.
	 */
	void recorded(String reference, String kind) {
		this.redis.opsForValue().set(PREFIX + reference + ":" + kind, "1", this.properties.retention());
	}

	/** Gives a claim back after its receipt could not be recorded. */
	void release(String reference, String kind) {
		this.redis.delete(PREFIX + reference + ":" + kind);
	}

}

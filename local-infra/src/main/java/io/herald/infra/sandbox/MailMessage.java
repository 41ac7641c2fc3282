package io.herald.infra.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One message {@link MailSandbox} accepted.
 *
 * @param messageId the {@code Message-ID} header, angle brackets included
 * @param from the {@code From} header
 * @param to the envelope recipients
 * @param subject the subject
 * @param text the {@code text/plain} part, or {@code null}
 * @param html the {@code text/html} part, or {@code null}
 * @param headers a few headers worth showing ({@code X-Herald-*})
 * @param receivedAt when the sandbox stored it
 * @param allHeaders every header of the message as a mailbox provider receives it, in
 * their order, folded lines joined (a name may come more than once)
 * @param oneClickUnsubscribe the {@code https} (or {@code http}) link of
 * {@code List-Unsubscribe} when {@code List-Unsubscribe-Post} offers one-click
 * unsubscription (RFC 8058), else {@code null}
 */
public record MailMessage(@Nullable String messageId, @Nullable String from, List<String> to, @Nullable String subject,
		@Nullable String text, @Nullable String html, Map<String, String> headers, Instant receivedAt,
		List<Header> allHeaders, @Nullable String oneClickUnsubscribe) {

	public MailMessage {
		to = List.copyOf(to);
		headers = Map.copyOf(headers);
		allHeaders = List.copyOf(allHeaders);
	}

	/** The value of the first header of this name (case-insensitive), or {@code null}. */
	public @Nullable String header(String name) {
		for (Header header : this.allHeaders) {
			if (header.name().equalsIgnoreCase(name)) {
				return header.value();
			}
		}
		return null;
	}

	/**
	 * One header line.
	 *
	 * @param name its name, as sent
	 * @param value its value, unfolded, without the blank after the colon
	 */
	public record Header(String name, String value) {
	}

}

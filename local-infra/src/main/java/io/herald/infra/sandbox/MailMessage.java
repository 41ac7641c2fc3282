package io.herald.infra.sandbox;

import java.time.Instant;
import java.util.List;

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
 */
public record MailMessage(@Nullable String messageId, @Nullable String from, List<String> to, @Nullable String subject,
		@Nullable String text, @Nullable String html, java.util.Map<String, String> headers, Instant receivedAt) {
}

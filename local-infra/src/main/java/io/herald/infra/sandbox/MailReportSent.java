package io.herald.infra.sandbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A report {@link MailSandbox} sent back.
 *
 * @param kind what it reports
 * @param to where it went: the message's envelope sender
 * @param recipient the recipient it is about
 * @param messageId the reported message's {@code Message-ID}, or {@code null}
 * @param sentAt when it was delivered to the envelope sender's mailbox
 */
public record MailReportSent(MailReport kind, String to, String recipient, @Nullable String messageId, Instant sentAt) {
}

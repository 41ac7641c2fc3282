package io.herald.infra.sandbox;

/**
 * Reports {@link MailSandbox} sends back to a message's envelope sender after it took the
 * message, the way a receiving mail system does: a delivery status notification (RFC
 * 3464) or a complaint (an ARF feedback report, RFC 5965).
 */
public enum MailReport {

	/**
	 * The mailbox does not exist: a DSN with {@code Action: failed},
	 * {@code Status: 5.1.1}; the message is not stored.
	 */
	HARD_BOUNCE("failed", "5.1.1", "550 5.1.1 Recipient address rejected: User unknown"),

	/**
	 * The mailbox is full for now: a DSN with {@code Action: delayed},
	 * {@code Status: 4.2.2}; the message is stored.
	 */
	SOFT_BOUNCE("delayed", "4.2.2", "452 4.2.2 Mailbox full, will retry"),

	/**
	 * The recipient marked the message as spam: an ARF report with
	 * {@code Feedback-Type: abuse}; the message is stored.
	 */
	COMPLAINT("abuse", "", "");

	private final String action;

	private final String status;

	private final String diagnostic;

	MailReport(String action, String status, String diagnostic) {
		this.action = action;
		this.status = status;
		this.diagnostic = diagnostic;
	}

	/**
	 * @return the DSN's {@code Action}, or the ARF report's {@code Feedback-Type}
	 */
	public String action() {
		return this.action;
	}

	/**
	 * @return the DSN's {@code Status}, empty for a complaint
	 */
	public String status() {
		return this.status;
	}

	String diagnostic() {
		return this.diagnostic;
	}

}

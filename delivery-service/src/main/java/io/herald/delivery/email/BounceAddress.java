package io.herald.delivery.email;

import io.herald.delivery.receipt.ReceiptReferences;
import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * The bounce address and its VERP form: a message is sent with the envelope sender
 * {@code <local>+<reference>@<domain>}, so the bounce it causes comes back to an address
 * that names the send (its {@linkplain ReceiptReferences receipt reference}), whatever
 * the remote mail system wrote in it.
 */
final class BounceAddress {

	private final String local;

	private final String domain;

	/**
	 * @param address {@code <local>@<domain>}, without a {@code +}
	 */
	BounceAddress(String address) {
		int at = address.lastIndexOf('@');
		if (at < 1 || at == address.length() - 1 || address.indexOf('+') >= 0) {
			throw new IllegalArgumentException("not a bounce address: " + address);
		}
		this.local = address.substring(0, at);
		this.domain = address.substring(at + 1);
	}

	/** The envelope sender of the send with this reference. */
	String forReference(String reference) {
		return this.local + "+" + reference + "@" + this.domain;
	}

	/**
	 * The reference in an address this bounce address made, or {@code null} for another
	 * address.
	 */
	@Nullable String reference(@Nullable String address) {
		if (address == null) {
			return null;
		}
		String candidate = address.trim();
		if (candidate.startsWith("<") && candidate.endsWith(">")) {
			candidate = candidate.substring(1, candidate.length() - 1);
		}
		candidate = candidate.toLowerCase(Locale.ROOT);
		String prefix = this.local.toLowerCase(Locale.ROOT) + "+";
		String suffix = "@" + this.domain.toLowerCase(Locale.ROOT);
		if (!candidate.startsWith(prefix) || !candidate.endsWith(suffix)
				|| candidate.length() <= prefix.length() + suffix.length()) {
			return null;
		}
		String reference = candidate.substring(prefix.length(), candidate.length() - suffix.length());
		return ReceiptReferences.isReference(reference) ? reference : null;
	}

}

package io.herald.delivery.email;

import io.herald.events.DeliverNotification;
import io.herald.events.Priority;
import io.herald.support.unsubscribe.UnsubscribeLink;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The headers that let a recipient say no: {@code List-Unsubscribe} (RFC 2369) with a
 * signed link that turns the notification's category off for email, and
 * {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058), which tells a
 * mailbox provider it may unsubscribe with one {@code POST} to that link. Every email of
 * a notification that is not {@code critical} carries both; a critical one (a security
 * alert, a password reset) carries neither, as no one can opt out of it. Without a
 * signing key and base URL ({@code herald.unsubscribe.*}) no email carries them.
 *
 * <p>
 * The link is issued at the notification's {@code createdAt}, so every try of a send
 * carries the same header.
 */
final class UnsubscribeHeaders {

	static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";

	static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";

	/** The only value RFC 8058 defines. */
	static final String ONE_CLICK = "List-Unsubscribe=One-Click";

	private final UnsubscribeLinks links;

	UnsubscribeHeaders(UnsubscribeLinks links) {
		this.links = links;
	}

	/** Whether any email gets the headers: there is a signing key and a base URL. */
	boolean enabled() {
		return this.links.makesLinks();
	}

	/** The headers of one notification's email, in order; none for a critical one. */
	Map<String, String> of(DeliverNotification notification) {
		Map<String, String> headers = new LinkedHashMap<>();
		link(notification).ifPresent((url) -> {
			headers.put(LIST_UNSUBSCRIBE, "<" + url + ">");
			headers.put(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
		});
		return headers;
	}

	/** Sets the headers of the notification on its message. */
	void addTo(MimeMessage message, DeliverNotification notification) throws MessagingException {
		for (Map.Entry<String, String> header : of(notification).entrySet()) {
			message.setHeader(header.getKey(), header.getValue());
		}
	}

	private Optional<URI> link(DeliverNotification notification) {
		if (notification.priority() == Priority.CRITICAL || !this.links.makesLinks()) {
			return Optional.empty();
		}
		try {
			return this.links.url(UnsubscribeLink.category(notification.tenant(), notification.userId(),
					notification.category(), notification.createdAt()));
		}
		catch (IllegalArgumentException ex) {
			// An id no user can have (ingestion refuses those): no link to a user that
			// cannot be.
			return Optional.empty();
		}
	}

}

package io.herald.routing.unsubscribe;

import io.herald.events.EmailOptOut;
import io.herald.events.Preferences;
import io.herald.routing.unsubscribe.UnsubscribeMetrics.Outcome;
import io.herald.routing.user.UserPreferences;
import io.herald.support.unsubscribe.UnsubscribeLink;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The links in {@code List-Unsubscribe} ({@code /v1/unsubscribe/{token}}, public: the
 * signature is the credential; docs/adr/035).
 *
 * <ul>
 * <li>{@code GET}: a confirmation page whose button sends the one-click {@code POST}.
 * Never unsubscribes: link scanners and previews follow every {@code GET}.</li>
 * <li>{@code POST} with {@code List-Unsubscribe=One-Click} (RFC 8058; no cookie, no
 * {@code Authorization}): publishes an {@code opt-out-email} command, which the fold
 * applies to the user's preferences as they are when its turn comes (so a preference
 * write landing meanwhile is kept), and answers {@code 200} with a page. Idempotent:
 * preferences that already send no such email are not written again. A user routing does
 * not know (erased since) gets the same answer and nothing is written; the fold never
 * creates a user for the command either, should an erasure land after the check.</li>
 * <li>Refusals are problem details: {@code 403 invalid_link} for a link this service did
 * not sign (or one past {@code herald.unsubscribe.max-age}), {@code 400 invalid_request}
 * for a token that is no link or a body that is not the one-click one, {@code 413} for a
 * body over {@value OneClickBody#MAX_BYTES} bytes, {@code 503} when the user state or the
 * command log does not answer in time.</li>
 * </ul>
 */
@RestController
class UnsubscribeController {

	private final UnsubscribeLinks links;

	private final UserPreferences preferences;

	private final UnsubscribeMetrics metrics;

	UnsubscribeController(UnsubscribeLinks links, UserPreferences preferences, UnsubscribeMetrics metrics) {
		this.links = links;
		this.preferences = preferences;
		this.metrics = metrics;
	}

	@GetMapping(UnsubscribeLinks.PATH + "{token}")
	ResponseEntity<String> page(@PathVariable String token) {
		UnsubscribeLink link = verified(token, this.metrics::page);
		this.metrics.page(Outcome.SHOWN);
		// Issued when the category link was: opening a page never extends a link's life.
		String allEmail = (link.scope() == UnsubscribeLink.Scope.CATEGORY_EMAIL)
				? this.links.token(link.forAllEmail(link.issuedAt())) : null;
		return UnsubscribePages.confirm(link, allEmail);
	}

	@PostMapping(UnsubscribeLinks.PATH + "{token}")
	ResponseEntity<String> unsubscribe(@PathVariable String token, HttpServletRequest request) throws IOException {
		UnsubscribeLink link = verified(token, this.metrics::unsubscribe);
		switch (OneClickBody.read(request)) {
			case ONE_CLICK -> {
			}
			case TOO_LARGE -> throw refused(Outcome.TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE,
					"The body is larger than " + OneClickBody.MAX_BYTES + " bytes.");
			case INVALID -> throw refused(Outcome.MALFORMED, ErrorCode.INVALID_REQUEST,
					"The body must be List-Unsubscribe=One-Click, form-encoded (RFC 8058).");
		}
		Outcome outcome;
		try {
			outcome = optOut(link);
		}
		catch (ApiProblemException ex) {
			this.metrics.unsubscribe(Outcome.UNAVAILABLE);
			throw ex;
		}
		this.metrics.unsubscribe(outcome);
		return UnsubscribePages.done(link);
	}

	/**
	 * Turns the link's email off, unless it is off already or the user is not known. The
	 * outcome is decided from the state read here; the command is applied to the state as
	 * it is when its turn comes.
	 */
	private Outcome optOut(UnsubscribeLink link) {
		Optional<Preferences> stored = this.preferences.find(link.tenant(), link.userId());
		if (stored.isEmpty()) {
			return Outcome.UNKNOWN_USER;
		}
		String category = categoryOf(link);
		if (EmailOptOut.withoutEmail(stored.get(), category).equals(stored.get())) {
			return Outcome.ALREADY;
		}
		this.preferences.optOutOfEmail(link.tenant(), link.userId(), category);
		return Outcome.UNSUBSCRIBED;
	}

	/** The link, or the refusal of the token, counted by {@code count}. */
	private UnsubscribeLink verified(String token, Consumer<Outcome> count) {
		return switch (this.links.verify(token)) {
			case UnsubscribeLinks.Verification.Verified verified -> verified.link();
			case UnsubscribeLinks.Verification.Expired expired ->
				throw refused(count, Outcome.EXPIRED, ErrorCode.INVALID_LINK,
						"The link has expired: unsubscribe from a newer email, or in your settings.");
			case UnsubscribeLinks.Verification.Invalid invalid -> throw refused(count, Outcome.INVALID_LINK,
					ErrorCode.INVALID_LINK, "The link was not made by this service, or was altered.");
			case UnsubscribeLinks.Verification.Malformed malformed -> throw refused(count, Outcome.MALFORMED,
					ErrorCode.INVALID_REQUEST, "The path holds no unsubscribe link: " + malformed.reason() + ".");
		};
	}

	private ApiProblemException refused(Outcome outcome, ErrorCode code, String detail) {
		return refused(this.metrics::unsubscribe, outcome, code, detail);
	}

	private static ApiProblemException refused(Consumer<Outcome> count, Outcome outcome, ErrorCode code,
			String detail) {
		count.accept(outcome);
		return new ApiProblemException(code, detail);
	}

	/** The link's category, {@code null} for all email. */
	private static @Nullable String categoryOf(UnsubscribeLink link) {
		return switch (link.scope()) {
			case CATEGORY_EMAIL -> Objects.requireNonNull(link.category(), "a category link without a category");
			case ALL_EMAIL -> null;
		};
	}

}

package io.herald.routing.user;

import io.herald.events.Profile;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ETag;
import org.springframework.http.HttpHeaders;

import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The {@code If-Match} of a profile write (RFC 9110 section 13.1.1): which profiles the
 * client allows the write to replace, by their {@code ETag}s, or {@code *} for any
 * profile of a known user. Comparison is strong: a weak tag ({@code W/"..."}) never
 * matches. A tag that is not of the form {@link Profile#entityTag()} writes cannot match
 * either, and is not carried further.
 */
final class IfMatch {

	/** Most entity tags one request may list; more is a {@code 400}. */
	static final int MAX_TAGS = 16;

	private static final Pattern PROFILE_TAG = Pattern.compile("[A-Za-z0-9_-]{16}");

	private IfMatch() {
	}

	/**
	 * The condition a request's {@code If-Match} sets, with a fresh request id;
	 * {@code null} when it has none.
	 * @throws ApiProblemException {@code 400} for more than {@value #MAX_TAGS} tags,
	 * {@code 412} when no tag could ever match
	 */
	static UserCommand.@Nullable Condition condition(HttpServletRequest request, String userId) {
		Enumeration<String> headers = request.getHeaders(HttpHeaders.IF_MATCH);
		if (headers == null || !headers.hasMoreElements()) {
			return null;
		}
		boolean any = false;
		int count = 0;
		Set<String> tags = new HashSet<>();
		while (headers.hasMoreElements()) {
			List<ETag> parsed = ETag.parse(headers.nextElement());
			count += parsed.size();
			if (count > MAX_TAGS) {
				throw new ApiProblemException(ErrorCode.INVALID_REQUEST,
						"If-Match lists more than " + MAX_TAGS + " entity tags.");
			}
			for (ETag tag : parsed) {
				if (tag.isWildcard()) {
					any = true;
				}
				else if (!tag.weak() && PROFILE_TAG.matcher(tag.tag()).matches()) {
					tags.add(tag.tag());
				}
			}
		}
		if (!any && tags.isEmpty()) {
			throw failed(userId, null);
		}
		return new UserCommand.Condition(UUID.randomUUID().toString(), any ? Set.of() : tags);
	}

	/**
	 * Checks a condition against what the user's state says before the write is
	 * published, so a write bound to fail is not written at all. When the state cannot be
	 * read, the routing topology decides alone.
	 * @throws ApiProblemException {@code 412} when the condition does not hold
	 */
	static void check(UserCommand.Condition condition, Lookup lookup, String userId) {
		switch (lookup) {
			case Lookup.Missing missing -> throw failed(userId, null);
			case Lookup.Found found when !condition.holdsFor(found.state().profile()) ->
				throw failed(userId, found.state());
			default -> {
			}
		}
	}

	/**
	 * The {@code 412} of a write whose condition does not hold, with the profile's
	 * current {@code ETag} when the user is known.
	 */
	static ApiProblemException failed(String userId, @Nullable UserState state) {
		if (state == null) {
			return new ApiProblemException(ErrorCode.PRECONDITION_FAILED,
					"No user '" + userId + "': If-Match holds only for a user that exists.");
		}
		HttpHeaders headers = new HttpHeaders();
		String tag = state.profile().entityTag();
		headers.setETag(ETag.quoteETagIfNecessary(tag));
		return new ApiProblemException(
				ErrorCode.PRECONDITION_FAILED, "The profile of user '" + userId
						+ "' is not the one If-Match names (its ETag is now \"" + tag + "\"): read it again.",
				List.of(), headers);
	}

}

package io.herald.routing.template.api;

import io.herald.events.JsonCodec;
import io.herald.events.TemplateCommand;
import io.herald.events.TemplateTexts;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ETag;
import org.springframework.http.HttpHeaders;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The preconditions of the template API (RFC 9110 section 13). A tenant's template's
 * {@code ETag} is its version, {@code "3"}: strong, and never reused for the same id, not
 * even after the template was deleted and created again; a shared template's is derived
 * from its texts. A write may carry {@code If-Match} (at most {@value #MAX_TAGS}
 * versions, or {@code *} for any template that exists) or {@code If-None-Match: *} (only
 * if no template exists: create, never replace); a read may carry {@code If-None-Match}
 * to be answered {@code 304} while the version is unchanged. Comparison is strong: a weak
 * tag never matches.
 */
final class TemplateConditions {

	/** Most entity tags one request may list; more is a {@code 400}. */
	static final int MAX_TAGS = 16;

	private static final Pattern VERSION_TAG = Pattern.compile("[1-9][0-9]{0,17}");

	private TemplateConditions() {
	}

	/** The {@code ETag} of a version of a tenant's template. */
	static String etag(long version) {
		return "\"" + version + "\"";
	}

	/**
	 * The {@code ETag} of a shared template, which has no version: the first 96 bits of a
	 * SHA-256 of its texts, so equal on every instance that has the same files.
	 */
	static String etag(Map<String, TemplateTexts> texts) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(JsonCodec.MAPPER.writeValueAsBytes(new TreeMap<>(texts)));
			return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12)) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	/**
	 * The condition of a write, from its {@code If-Match} or {@code If-None-Match: *};
	 * {@code null} when it has neither.
	 * @throws ApiProblemException {@code 400} for both at once, more than
	 * {@value #MAX_TAGS} tags or an {@code If-None-Match} other than {@code *};
	 * {@code 412} when no tag could ever match
	 */
	static TemplateCommand.@Nullable Condition write(HttpServletRequest request, String templateId) {
		List<ETag> match = tags(request, HttpHeaders.IF_MATCH);
		List<ETag> noneMatch = tags(request, HttpHeaders.IF_NONE_MATCH);
		if (match != null && noneMatch != null) {
			throw new ApiProblemException(ErrorCode.INVALID_REQUEST, "Send If-Match or If-None-Match: *, not both.");
		}
		if (noneMatch != null) {
			if (noneMatch.size() != 1 || !noneMatch.get(0).isWildcard()) {
				throw new ApiProblemException(ErrorCode.INVALID_REQUEST,
						"If-None-Match on a write takes only *: create the template if it does not exist.");
			}
			return new TemplateCommand.Condition(false, Set.of());
		}
		if (match == null) {
			return null;
		}
		boolean any = false;
		Set<Long> versions = new HashSet<>();
		for (ETag tag : match) {
			if (tag.isWildcard()) {
				any = true;
			}
			else if (!tag.weak() && VERSION_TAG.matcher(tag.tag()).matches()) {
				versions.add(Long.parseLong(tag.tag()));
			}
		}
		if (!any && versions.isEmpty()) {
			throw failed(templateId, null);
		}
		return new TemplateCommand.Condition(true, any ? Set.of() : versions);
	}

	/**
	 * Whether a read's {@code If-None-Match} names the template's {@code ETag}: then
	 * {@code 304}.
	 */
	static boolean notModified(HttpServletRequest request, String etag) {
		List<ETag> tags = tags(request, HttpHeaders.IF_NONE_MATCH);
		if (tags == null) {
			return false;
		}
		for (ETag tag : tags) {
			if (tag.isWildcard() || (!tag.weak() && ("\"" + tag.tag() + "\"").equals(etag))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Checks a condition against the template in force before the write is published, so
	 * a write bound to fail is not written at all.
	 * @param current the version in force, {@code null} for none
	 * @throws ApiProblemException {@code 412} when the condition does not hold
	 */
	static void check(TemplateCommand.@Nullable Condition condition, String templateId, @Nullable Long current) {
		if (condition != null && !condition.holdsFor(current)) {
			throw failed(templateId, current);
		}
	}

	/**
	 * The {@code 412} of a write whose condition does not hold, with the current
	 * {@code ETag} if any.
	 */
	static ApiProblemException failed(String templateId, @Nullable Long current) {
		if (current == null) {
			return new ApiProblemException(ErrorCode.PRECONDITION_FAILED,
					"No template '" + templateId + "': If-Match holds only for a template that exists.");
		}
		HttpHeaders headers = new HttpHeaders();
		headers.setETag(etag(current));
		return new ApiProblemException(ErrorCode.PRECONDITION_FAILED,
				"Template '" + templateId
						+ "' is not at a version If-Match names, or exists where If-None-Match: * asked for none (its "
						+ "ETag is now " + etag(current) + "): read it again.",
				List.of(), headers);
	}

	/** The tags of a header, {@code null} when it is absent. */
	private static @Nullable List<ETag> tags(HttpServletRequest request, String header) {
		Enumeration<String> values = request.getHeaders(header);
		if (values == null || !values.hasMoreElements()) {
			return null;
		}
		List<ETag> tags = new ArrayList<>();
		while (values.hasMoreElements()) {
			tags.addAll(ETag.parse(values.nextElement()));
			if (tags.size() > MAX_TAGS) {
				throw new ApiProblemException(ErrorCode.INVALID_REQUEST,
						header + " lists more than " + MAX_TAGS + " entity tags.");
			}
		}
		return tags;
	}

}

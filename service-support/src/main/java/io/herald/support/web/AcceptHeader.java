package io.herald.support.web;

import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import java.util.List;

/** What an {@code Accept} header asks for, against the types the API speaks. */
public final class AcceptHeader {

	private static final List<MediaType> SPOKEN = List.of(MediaType.APPLICATION_JSON,
			MediaType.APPLICATION_PROBLEM_JSON, MediaType.TEXT_EVENT_STREAM);

	private AcceptHeader() {
	}

	/**
	 * Whether the header admits one of the types the API speaks (JSON, problem details,
	 * Server-Sent Events); an absent, blank or unparsable header admits them all.
	 */
	public static boolean admitsApiTypes(@Nullable String accept) {
		if (accept == null || accept.isBlank()) {
			return true;
		}
		try {
			for (MediaType accepted : MediaType.parseMediaTypes(accept)) {
				for (MediaType spoken : SPOKEN) {
					if (accepted.isCompatibleWith(spoken) && accepted.getQualityValue() > 0) {
						return true;
					}
				}
			}
			return false;
		}
		catch (InvalidMediaTypeException ex) {
			return true;
		}
	}

	/**
	 * The problem of a request whose {@code Accept} header admits none of the API's
	 * types.
	 */
	public static ApiProblemException notAcceptable() {
		return new ApiProblemException(ErrorCode.NOT_ACCEPTABLE,
				"Accept application/json (or application/problem+json for errors).");
	}

}

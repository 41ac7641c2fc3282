package io.herald.support.apikey;

import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads the caller's key, as authenticated by the API key filter, and checks its scopes.
 */
public final class CurrentApiKey {

	private CurrentApiKey() {
	}

	/**
	 * The caller's key, provided it has the scope.
	 * @throws ApiProblemException {@code 403} when the key lacks the scope
	 */
	public static ApiKey require(HttpServletRequest request, Scope scope) {
		ApiKey key = (ApiKey) request.getAttribute(ApiKeyFilter.ATTRIBUTE);
		if (key == null) {
			throw new IllegalStateException("no API key: is the request outside /v1/?");
		}
		if (!key.allows(scope)) {
			throw new ApiProblemException(ErrorCode.FORBIDDEN,
					"The API key '" + key.name() + "' lacks the scope " + scope + ".");
		}
		return key;
	}

}

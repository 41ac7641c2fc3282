package io.herald.gateway.auth;

import jakarta.servlet.http.HttpServletRequest;

/** The user of a request, as the user token filter authenticated it. */
public final class CurrentUser {

	/** The request attribute holding the {@link UserPrincipal}. */
	public static final String ATTRIBUTE = UserPrincipal.class.getName();

	private CurrentUser() {
	}

	/** The request's user. */
	public static UserPrincipal of(HttpServletRequest request) {
		UserPrincipal user = (UserPrincipal) request.getAttribute(ATTRIBUTE);
		if (user == null) {
			throw new IllegalStateException("no user token: is the request outside /v1/?");
		}
		return user;
	}

}

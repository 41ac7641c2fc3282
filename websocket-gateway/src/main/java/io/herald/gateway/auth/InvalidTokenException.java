package io.herald.gateway.auth;

/**
 * A token that proves nothing: malformed, not signed with its tenant's key, or expired.
 */
public class InvalidTokenException extends Exception {

	InvalidTokenException(String message) {
		super(message, null, false, false);
	}

}

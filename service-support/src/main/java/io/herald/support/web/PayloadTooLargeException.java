package io.herald.support.web;

import java.io.IOException;

/** A request body grew past its limit while it was read. */
public class PayloadTooLargeException extends IOException {

	public PayloadTooLargeException(long limitBytes) {
		super("The body is larger than " + limitBytes + " bytes.");
	}

}

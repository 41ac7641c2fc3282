package io.herald.ingestion.status;

import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The opaque {@code cursor} of the lists: where the previous page ended, as base64url of
 * a version byte, a check and {@code <score>|<member>}. The check is the first 8 bytes of
 * the SHA-256 of the list it belongs to ({@code scope}: the tenant, the list and its
 * query) and the position, so a cursor changed in transit, cut short, or taken from
 * another list, query or tenant is refused. A cursor grants nothing: the list is always
 * the caller's tenant's, so a position forged on purpose only moves within the caller's
 * own data.
 */
final class ListCursor {

	/** The longest cursor read; the cursors written are well under 400 characters. */
	static final int MAX_LENGTH = 512;

	private static final byte VERSION = 1;

	private static final int CHECK_LENGTH = 8;

	private static final int MAX_MEMBER_LENGTH = 300;

	private ListCursor() {
	}

	static String encode(String scope, StatusLists.Position position) {
		byte[] payload = (position.score() + "|" + position.member()).getBytes(StandardCharsets.UTF_8);
		ByteBuffer cursor = ByteBuffer.allocate(1 + CHECK_LENGTH + payload.length);
		cursor.put(VERSION).put(check(scope, payload)).put(payload);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.array());
	}

	/** The position a cursor of this list names, or {@code null} when it is not one. */
	static StatusLists.@Nullable Position decode(String scope, String cursor) {
		if (cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
			return null;
		}
		byte[] bytes;
		try {
			bytes = Base64.getUrlDecoder().decode(cursor);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (bytes.length <= 1 + CHECK_LENGTH || bytes[0] != VERSION) {
			return null;
		}
		byte[] payload = Arrays.copyOfRange(bytes, 1 + CHECK_LENGTH, bytes.length);
		if (!MessageDigest.isEqual(Arrays.copyOfRange(bytes, 1, 1 + CHECK_LENGTH), check(scope, payload))) {
			return null;
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(payload))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		int separator = text.indexOf('|');
		if (separator <= 0 || separator == text.length() - 1 || text.length() - separator - 1 > MAX_MEMBER_LENGTH) {
			return null;
		}
		try {
			long score = Long.parseLong(text.substring(0, separator));
			return (score >= 0) ? new StatusLists.Position(score, text.substring(separator + 1)) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static byte[] check(String scope, byte[] payload) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update((scope + "\n").getBytes(StandardCharsets.UTF_8));
			sha256.update(payload);
			return Arrays.copyOf(sha256.digest(), CHECK_LENGTH);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

}

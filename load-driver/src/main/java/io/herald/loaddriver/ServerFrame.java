package io.herald.loaddriver;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few fields of a gateway frame (API.md section 3) that the driver needs, read
 * without a JSON library: every frame starts with its {@code type}, a notification with
 * its {@code seq}, and the driver's own notifications carry a numeric {@code k} in their
 * {@code data}.
 *
 * @param type the frame's type, {@code "?"} if it has none
 * @param seq a notification's seq, or {@code -1}
 * @param key the {@code k} of a notification's {@code data}, or {@code -1}
 * @param lastSeq a {@code hello}'s newest seq of the user's inbox, or {@code -1}
 * @param heartbeatSec a {@code hello}'s ping interval in seconds, or {@code -1}
 */
record ServerFrame(String type, long seq, long key, long lastSeq, long heartbeatSec) {

	private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");

	private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

	private static final Pattern KEY = Pattern.compile("\"data\"\\s*:\\s*\\{[^}]*?\"k\"\\s*:\\s*(\\d+)");

	private static final Pattern LAST_SEQ = Pattern.compile("\"lastSeq\"\\s*:\\s*(\\d+)");

	private static final Pattern HEARTBEAT = Pattern.compile("\"heartbeatSec\"\\s*:\\s*(\\d+)");

	static ServerFrame parse(String json) {
		Matcher type = TYPE.matcher(json);
		String name = type.find() ? type.group(1) : "?";
		return switch (name) {
			case "notification" -> new ServerFrame(name, number(SEQ, json), number(KEY, json), -1, -1);
			case "hello" -> new ServerFrame(name, -1, -1, number(LAST_SEQ, json), number(HEARTBEAT, json));
			default -> new ServerFrame(name, -1, -1, -1, -1);
		};
	}

	private static long number(Pattern field, String json) {
		Matcher matcher = field.matcher(json);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
	}

}

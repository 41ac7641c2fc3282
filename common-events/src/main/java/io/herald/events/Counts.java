package io.herald.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The ids of counts: a fan-out batch's in-app deliveries have their {@code queued}
 * reported as one count of their users (docs/adr/037), and every later status of those
 * deliveries names the count ({@link StatusReported#countedAs()},
 * {@link DeliverNotification#countedAs()}). An id depends on the event, the channel and
 * the users in order alone, so a batch routed again has the same id and the status view
 * counts it once.
 */
public final class Counts {

	/** The length of an id: 16 hexadecimal digits. */
	public static final int ID_LENGTH = 16;

	private Counts() {
	}

	/** The id of the count of the event's deliveries on the channel to these users. */
	public static String id(String eventId, Channel channel, List<String> users) {
		StringBuilder name = new StringBuilder(eventId.length() + 16 + users.size() * 16);
		name.append(eventId).append(PartitionKeys.SEPARATOR).append(channel.wireName());
		for (String user : users) {
			name.append(PartitionKeys.SEPARATOR).append(user);
		}
		long bits = UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
		String hex = Long.toHexString(bits);
		return "0".repeat(ID_LENGTH - hex.length()) + hex;
	}

	/** Whether the text has the shape of a count's id. */
	public static boolean isId(String text) {
		if (text.length() != ID_LENGTH) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

}

package io.herald.gateway.inbox;

/**
 * One notification of an inbox as a client receives it.
 *
 * @param seq its seq
 * @param frame its {@code notification} frame, JSON text
 */
public record NotificationFrame(long seq, String frame) {

	/**
	 * The {@code retracted} frame of a seq: the notification {@code id} was retracted
	 * (docs/adr/029); a client removes it. The seq is the retraction's own, or, in a
	 * replay, the notification's.
	 */
	public static String retracted(long seq, String notificationId) {
		return "{\"type\":\"retracted\",\"seq\":" + seq + ",\"id\":\"" + notificationId + "\"}";
	}

	/**
	 * The {@code notification} frame of a notification's JSON (an object without seq).
	 */
	static String frame(long seq, String notificationJson) {
		return "{\"type\":\"notification\",\"seq\":" + seq + "," + notificationJson.substring(1);
	}

}

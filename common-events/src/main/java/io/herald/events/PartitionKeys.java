package io.herald.events;

/**
 * The partition-key rules. Every key starts with the tenant, so records of different tenants
 * never share a key (guarantee 5).
 * <ul>
 * <li>Event-scoped records ({@link Topics#EVENTS}, {@link Topics#STATUS}): {@code tenant|eventId},
 * so that all records of one event stay in order.</li>
 * <li>User-scoped records (delivery lanes, user commands): {@code tenant|userId}, so that
 * everything about one user flows through one partition in order (guarantee 3).</li>
 * </ul>
 */
public final class PartitionKeys {

	/** Separates the parts of a key; no id may contain it (see {@link Identifiers}). */
	public static final char SEPARATOR = '|';

	private PartitionKeys() {
	}

	/** The key of an event-scoped record. */
	public static String event(String tenant, String eventId) {
		return join(tenant, eventId);
	}

	/** The key of a user-scoped record. */
	public static String user(String tenant, String userId) {
		return join(tenant, userId);
	}

	/**
	 * The tenant part of a key.
	 * @throws IllegalArgumentException for a key without a tenant
	 */
	public static String tenantOf(String key) {
		int separator = key.indexOf(SEPARATOR);
		if (separator <= 0) {
			throw new IllegalArgumentException("key '" + key + "' has no tenant part");
		}
		return key.substring(0, separator);
	}

	/**
	 * The part after the tenant: the event id or the user id.
	 * @throws IllegalArgumentException for a key without a tenant
	 */
	public static String idOf(String key) {
		return key.substring(tenantOf(key).length() + 1);
	}

	private static String join(String tenant, String id) {
		if (tenant.indexOf(SEPARATOR) >= 0) {
			throw new IllegalArgumentException("tenant '" + tenant + "' must not contain '" + SEPARATOR + "'");
		}
		return tenant + SEPARATOR + id;
	}

}

package io.herald.events;

/**
 * The partition-key rules. Every key starts with the tenant, so records of different
 * tenants never share a key (guarantee 5).
 * <ul>
 * <li>Event-scoped records ({@link Topics#STATUS}, and the event logs' records of events
 * for several users or a topic): {@code tenant|eventId}, so that all records of one event
 * stay in order.</li>
 * <li>An event for exactly one user, on its event log: {@code tenant|userId}
 * ({@link #eventLog(EventAccepted)}), so that it lands on the partition of the user's
 * state and routing needs no repartition for it.</li>
 * <li>User-scoped records (delivery lanes, user commands): {@code tenant|userId}, so that
 * everything about one user flows through one partition in order (guarantee 3).</li>
 * <li>Template commands: the tenant alone, so that every change of one tenant's templates
 * is applied in order by one task, which can count them.</li>
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

	/**
	 * The key of an event's record on its event log ({@link Topics#eventLog}): the user's
	 * key for an event addressed to exactly one user, the event's key otherwise.
	 */
	public static String eventLog(EventAccepted event) {
		if (event.recipients() instanceof Recipients.Users users && users.users().size() == 1) {
			return user(event.tenant(), users.users().get(0));
		}
		return event(event.tenant(), event.eventId());
	}

	/**
	 * The key of a tenant's own template on {@link Topics#TEMPLATES}
	 * ({@code tenant|templateId}), beside the shared templates keyed by their id alone.
	 */
	public static String template(String tenant, String templateId) {
		return join(tenant, templateId);
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

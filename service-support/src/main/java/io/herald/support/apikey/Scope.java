package io.herald.support.apikey;

/** What an API key may do. */
public enum Scope {

	/** Publish events ({@code POST /v1/events}, {@code POST /v1/events:batch}). */
	EVENTS_WRITE,

	/**
	 * Read event status ({@code GET /v1/events/{id}}) and the lists of events and of a
	 * user's deliveries.
	 */
	EVENTS_READ,

	/** Change users, preferences, devices and topic subscriptions, and erase users. */
	USERS_WRITE,

	/** Read users, preferences, devices and topic subscriptions. */
	USERS_READ,

	/** Create, change and delete the tenant's own templates. */
	TEMPLATES_WRITE,

	/** Read the tenant's templates and their versions, and preview them. */
	TEMPLATES_READ

}

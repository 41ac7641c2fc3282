package io.herald.ingestion.apikey;

/** What an API key may do. */
public enum Scope {

	/** Publish events ({@code POST /v1/events}, {@code POST /v1/events:batch}). */
	EVENTS_WRITE,

	/** Read event status ({@code GET /v1/events/{id}}). */
	EVENTS_READ

}

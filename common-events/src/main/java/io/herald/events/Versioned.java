package io.herald.events;

/** A record that carries the version of its own shape, checked when it is decoded. */
public interface Versioned {

	/** The version of the record's shape. */
	int schemaVersion();

}

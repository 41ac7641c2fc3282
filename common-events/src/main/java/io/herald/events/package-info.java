/**
 * The records that travel on Herald's Kafka topics, their JSON codec, the topic
 * catalogue, header names and partition-key rules.
 *
 * <p>
 * Facts are past-tense records ({@link io.herald.events.EventAccepted},
 * {@link io.herald.events.StatusReported}); every record carries a {@code schemaVersion}.
 * Changes are additive: a new optional field keeps the version, a breaking change is a
 * new topic version. Unknown JSON fields are ignored; an unknown schema version or an
 * undecodable record is a {@link io.herald.events.RecordDecodingException}, which
 * consumers send to a dead-letter topic.
 */
@NullMarked
package io.herald.events;

import org.jspecify.annotations.NullMarked;

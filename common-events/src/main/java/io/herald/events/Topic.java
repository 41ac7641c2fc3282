package io.herald.events;

/**
 * One Kafka topic: its name, the rule for its keys (always strings) and the codec of its
 * values.
 *
 * @param name the topic name
 * @param keyRule how keys are formed, for people (see {@link PartitionKeys})
 * @param codec the values' codec
 * @param <V> the value type
 */
public record Topic<V extends Versioned>(String name, String keyRule, JsonCodec<V> codec) {
}

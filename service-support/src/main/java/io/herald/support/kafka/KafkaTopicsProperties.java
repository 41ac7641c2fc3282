package io.herald.support.kafka;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the topics this service writes are created when they do not exist yet.
 *
 * @param partitions partitions per topic: the most consumers one group can use in parallel
 * @param replicationFactor copies of every partition (production: 3)
 * @param minInsyncReplicas copies that must have a record before {@code acks=all} succeeds
 * (production: 2, so one broker may fail without losing an acknowledged event)
 */
@Validated
@ConfigurationProperties("herald.kafka")
public record KafkaTopicsProperties(@DefaultValue("12") @Min(1) int partitions,
		@DefaultValue("1") @Min(1) short replicationFactor, @DefaultValue("1") @Min(1) int minInsyncReplicas) {
}

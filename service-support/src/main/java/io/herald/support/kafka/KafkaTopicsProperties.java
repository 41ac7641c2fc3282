package io.herald.support.kafka;

import jakarta.validation.constraints.Min;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the topics this service writes are created when they do not exist yet.
 *
 * @param partitions partitions per topic: the most consumers one group can use in
 * parallel
 * @param replicationFactor copies of every partition (production: 3)
 * @param minInsyncReplicas copies that must have a record before {@code acks=all}
 * succeeds (production: 2, so one broker may fail without losing an acknowledged event)
 */
@Validated
@ConfigurationProperties("herald.kafka")
public record KafkaTopicsProperties(@DefaultValue("12") @Min(1) int partitions,
		@DefaultValue("1") @Min(1) short replicationFactor, @DefaultValue("1") @Min(1) int minInsyncReplicas) {

	/** A topic with these settings that keeps records for {@code retention}. */
	public NewTopic newTopic(String name, Duration retention) {
		return TopicBuilder.name(name)
			.partitions(this.partitions)
			.replicas(this.replicationFactor)
			.config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()))
			.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(this.minInsyncReplicas))
			.build();
	}

	/**
	 * A compacted topic of one partition with these settings: the latest record of every
	 * key is kept for good, a tombstone removes its key. For catalogs that every reader
	 * reads whole, where more partitions would buy nothing.
	 */
	public NewTopic newCompactedTopic(String name) {
		return TopicBuilder.name(name)
			.partitions(1)
			.replicas(this.replicationFactor)
			.compact()
			.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(this.minInsyncReplicas))
			.build();
	}

}

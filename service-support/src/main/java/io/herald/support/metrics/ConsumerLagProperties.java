package io.herald.support.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Which consumer groups' lag this service reports.
 *
 * @param groups the ids, or prefixes of the ids, of this service's consumer groups (a
 * Kafka Streams application's id is its group's); none turns the report off
 * @param interval how often the lag is read from the broker
 */
@Validated
@ConfigurationProperties("herald.metrics.consumer-lag")
public record ConsumerLagProperties(@DefaultValue List<String> groups, @DefaultValue("10s") Duration interval) {
}

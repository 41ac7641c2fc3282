package io.herald.support.kafka;

import jakarta.validation.constraints.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.Properties;

/**
 * How this instance of a service is known to its consumer groups.
 *
 * @param instanceId a name of this instance that no other instance of the service has and
 * that stays the same when it restarts: a StatefulSet pod's name, a Compose service's
 * name when it runs one container, a host's name when one instance runs per host. When
 * set, the service's consumers are static members of their groups (Kafka's
 * {@code group.instance.id}, suffixed per consumer): an instance that restarts takes its
 * partitions back at once, without a rebalance, instead of after
 * {@code session.timeout.ms}. The flip side: a static member does not leave its groups
 * when it stops, so the partitions of an instance that is stopped for good move after the
 * session timeout. Unset (the default): dynamic members, which suits instances that get a
 * new name at every start (a Deployment's pods). Two running instances with the same name
 * fence each other out.
 */
@Validated
@ConfigurationProperties("herald.kafka")
public record KafkaInstanceProperties(@Nullable @Pattern(regexp = "[a-zA-Z0-9._-]{0,200}",
		message = "may hold only letters, digits, '.', '_' and '-', at most 200 of them") String instanceId) {

	/** Whether {@link #instanceId()} is set. */
	public boolean isStatic() {
		return this.instanceId != null && !this.instanceId.isEmpty();
	}

	/**
	 * A copy of consumer or Kafka Streams settings with this instance's
	 * {@code group.instance.id}, which Spring Kafka's listener containers and Kafka
	 * Streams suffix per consumer; the settings unchanged when the instance has no id.
	 */
	public Properties withInstanceId(@Nullable Properties settings) {
		Properties copy = new Properties();
		if (settings != null) {
			copy.putAll(settings);
		}
		if (isStatic()) {
			copy.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, this.instanceId);
		}
		return copy;
	}

}

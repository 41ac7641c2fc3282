package io.herald.infra;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedInfraIntegrationTests {

	@Test
	void sharedInstancesAreStartedOnceAndRunning() throws Exception {
		assertThat(SharedInfra.kafka()).isSameAs(SharedInfra.kafka());
		assertThat(SharedInfra.redis()).isSameAs(SharedInfra.redis());
		assertThat(SharedInfra.kafka().isRunning()).isTrue();
		assertThat(SharedInfra.redis().isRunning()).isTrue();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfra.kafka().bootstrapServers()))) {
			assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
		}
		try (RespClient client = RespClient.connect(SharedInfra.redis().host(), SharedInfra.redis().port(),
				Duration.ofSeconds(5))) {
			assertThat(client.call("PING")).isEqualTo("PONG");
		}
	}

}

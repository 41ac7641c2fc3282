package io.herald.deploy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the deployment checks know of the services: if these were wrong, the checks of the
 * deployment files would pass for the wrong reasons.
 */
class ServiceModuleTests {

	@Test
	void servicesAreTheModulesWithAServerPort() {
		assertThat(ServiceModule.all()).extracting(ServiceModule::name)
			.containsExactly("ingestion-service", "routing-service", "websocket-gateway", "delivery-service");
	}

	@Test
	void portFollowsServerPortThenThePortVariableThenTheDefault() {
		ServiceModule ingestion = ServiceModule.named("ingestion-service");
		assertThat(ingestion.portVariable()).isEqualTo("HERALD_INGESTION_PORT");
		assertThat(ingestion.port(Map.of())).isEqualTo(8080);
		assertThat(ingestion.port(Map.of("HERALD_INGESTION_PORT", "9080"))).isEqualTo(9080);
		assertThat(ingestion.port(Map.of("HERALD_INGESTION_PORT", "9080", "SERVER_PORT", "7080"))).isEqualTo(7080);
	}

	@Test
	void readsPlaceholdersOfItsApplicationYml() {
		ServiceModule routing = ServiceModule.named("routing-service");
		assertThat(routing.reads("HERALD_KAFKA_BOOTSTRAP")).isTrue();
		assertThat(routing.reads("HERALD_ROUTING_ADVERTISED_HOST")).isTrue();
		assertThat(routing.reads("HERALD_DATA_DIR")).isTrue();
	}

	@Test
	void readsPropertiesOfItsOwnAndItsDependenciesConfigurationPropertiesByRelaxedBinding() {
		ServiceModule delivery = ServiceModule.named("delivery-service");
		assertThat(delivery.reads("HERALD_DELIVERY_SMTP_PROVIDERS_0_HOST")).isTrue();
		assertThat(delivery.reads("HERALD_DELIVERY_RETRY_INITIALDELAY")).isTrue();
		assertThat(delivery.reads("HERALD_KAFKA_REPLICATIONFACTOR")).as("service-support's herald.kafka").isTrue();
		assertThat(delivery.reads("HERALD_APIKEYS_0_SHA256")).as("service-support's herald.api-keys").isTrue();
		assertThat(ServiceModule.named("routing-service").reads("HERALD_ROUTING_INTERNALTOKEN")).isTrue();
	}

	@Test
	void readsPropertiesSetInItsApplicationYml() {
		assertThat(ServiceModule.named("websocket-gateway").reads("HERALD_WEB_APIKEYAUTHENTICATION")).isTrue();
	}

	@Test
	void doesNotReadWhatNoPartOfItsConfigurationNames() {
		ServiceModule routing = ServiceModule.named("routing-service");
		assertThat(routing.reads("HERALD_REDIS_HOST")).as("routing uses no Redis").isFalse();
		assertThat(routing.reads("HERALD_ROUTING_INTERNAL_TOKEN")).as("relaxed binding has no dash here").isFalse();
		assertThat(routing.reads("HERALD_GATEWAY_JWT_TENANTS_0_SECRET")).isFalse();
		assertThat(ServiceModule.named("ingestion-service").reads("HERALD_DELIVERY_SMTP_PROVIDERS_0_HOST")).isFalse();
	}

	@Test
	void recordComponentsSkipAnnotationsTypeArgumentsCommentsAndStrings() {
		String source = "record X(@DefaultValue(\"a, b)\") @Pattern(regexp = \"[0-9]{2}\") String first,\n"
				+ "\t\t@DefaultValue List<@Valid Map<String, Integer>> second, // third, not a component\n"
				+ "\t\t/* fourth, */ int[] fifth) {}";
		assertThat(BoundProperties.recordComponents(source, source.indexOf('('))).containsExactly("first", "second",
				"fifth");
	}

	@Test
	void canonicalFormIsTheSameForPropertiesAndEnvironmentVariables() {
		assertThat(BoundProperties.canonical("herald.delivery.smtp.providers[0].max-in-flight"))
			.isEqualTo(BoundProperties.canonicalVariable("HERALD_DELIVERY_SMTP_PROVIDERS_0_MAXINFLIGHT"))
			.isEqualTo(List.of("herald", "delivery", "smtp", "providers", "0", "maxinflight"));
		assertThat(BoundProperties.canonical("herald.routing.internalToken")).containsExactly("herald", "routing",
				"internaltoken");
	}

}

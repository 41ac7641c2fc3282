package io.herald.support.web;

import org.junit.jupiter.api.Test;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFirewallAutoConfigurationTests {

	private final WebApplicationContextRunner contexts = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ProblemDetailsAutoConfiguration.class,
				RequestFirewallAutoConfiguration.class));

	@Test
	void guardsEveryRequestWithTheStrictFirewall() {
		this.contexts.run((context) -> {
			assertThat(context).hasSingleBean(RequestFirewallFilter.class);
			assertThat(context.getBean(RequestFirewall.class).rejection("/v1/users/a%2Fb", null)).isNotNull();
		});
	}

	@Test
	void aFirewallOfTheServiceWins() {
		RequestFirewall relaxed = RequestFirewall.strict().allowingEncodedSlashes();
		this.contexts.withBean(RequestFirewall.class, () -> relaxed)
			.run((context) -> assertThat(context).hasSingleBean(RequestFirewall.class)
				.getBean(RequestFirewall.class)
				.isSameAs(relaxed));
	}

	@Test
	void onTomcatTomcatsRefusalsBecomeProblems() {
		this.contexts.withClassLoader(new FilteredClassLoader(JettyServerCustomizer.class))
			.run((context) -> assertThat(context).hasSingleBean(TomcatRefusalsConfiguration.class)
				.hasSingleBean(TomcatConnectorCustomizer.class)
				.doesNotHaveBean(JettyRefusalsConfiguration.class));
	}

	@Test
	void onJettyJettysRefusalsBecomeProblems() {
		this.contexts.withClassLoader(new FilteredClassLoader(TomcatConnectorCustomizer.class))
			.run((context) -> assertThat(context).hasSingleBean(JettyRefusalsConfiguration.class)
				.hasSingleBean(JettyServerCustomizer.class)
				.doesNotHaveBean(TomcatRefusalsConfiguration.class));
	}

	@Test
	void onJettyEveryHeaderFieldIsReadAsSent() {
		this.contexts.withClassLoader(new FilteredClassLoader(TomcatConnectorCustomizer.class)).run((context) -> {
			Server server = new Server();
			ServerConnector connector = new ServerConnector(server);
			server.addConnector(connector);
			context.getBean(JettyServerCustomizer.class).customize(server);
			assertThat(connector.getConnectionFactory(HttpConnectionFactory.class)
				.getHttpConfiguration()
				.isHeaderCacheCaseSensitive()).isTrue();
		});
	}

	@Test
	void outsideAServletApplicationNothing() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RequestFirewallAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RequestFirewallFilter.class)
				.doesNotHaveBean(RequestFirewall.class));
	}

}

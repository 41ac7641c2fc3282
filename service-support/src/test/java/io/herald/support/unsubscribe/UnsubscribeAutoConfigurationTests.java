package io.herald.support.unsubscribe;

import io.herald.support.ClockAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class UnsubscribeAutoConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClockAutoConfiguration.class, UnsubscribeAutoConfiguration.class));

	@Test
	void withoutSettingsTheLinksAreOff() {
		this.contexts.run((context) -> assertThat(context).getBean(UnsubscribeLinks.class)
			.satisfies((links) -> assertThat(links.makesLinks()).isFalse()));
	}

	@Test
	void aKeyAndAnHttpsBaseUrlMakeLinks() {
		this.contexts
			.withPropertyValues("herald.unsubscribe.signing-key=" + UnsubscribeLinksTests.KEY,
					"herald.unsubscribe.base-url=https://notify.example.com", "herald.unsubscribe.max-age=400d")
			.run((context) -> assertThat(context).getBean(UnsubscribeLinks.class)
				.satisfies((links) -> assertThat(links.makesLinks()).isTrue()));
	}

	@Test
	void plainHttpIsOnlyForTheLoopbackHost() {
		this.contexts
			.withPropertyValues("herald.unsubscribe.signing-key=" + UnsubscribeLinksTests.KEY,
					"herald.unsubscribe.base-url=http://127.0.0.1:8081")
			.run((context) -> assertThat(context).hasNotFailed());
		for (String url : new String[] { "http://notify.example.com", "ftp://notify.example.com", "/v1",
				"https://notify.example.com?x=1" }) {
			this.contexts.withPropertyValues("herald.unsubscribe.base-url=" + url)
				.run((context) -> assertThat(context.getStartupFailure()).as(url)
					.rootCause()
					.hasMessageContaining("HERALD_UNSUBSCRIBE_BASEURL"));
		}
	}

	@Test
	void placeholderShortOrBlankKeysStopTheServiceAtStart() {
		for (String key : new String[] { "change-me", " ", "short-but-random-7f3a" }) {
			this.contexts.withPropertyValues("herald.unsubscribe.signing-key=" + key)
				.run((context) -> assertThat(context.getStartupFailure()).as(key)
					.rootCause()
					.hasMessageContaining("herald.unsubscribe.signing-key"));
		}
		this.contexts.withPropertyValues("herald.unsubscribe.previous-signing-keys=changeme")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("previous-signing-keys[0]"));
	}

	@Test
	void aLinksBeanOfTheServiceWins() {
		UnsubscribeLinks own = new UnsubscribeLinks(new UnsubscribeProperties(null, null, null, null),
				java.time.Clock.systemUTC());
		this.contexts.withBean(UnsubscribeLinks.class, () -> own)
			.run((context) -> assertThat(context).getBean(UnsubscribeLinks.class).isSameAs(own));
	}

}

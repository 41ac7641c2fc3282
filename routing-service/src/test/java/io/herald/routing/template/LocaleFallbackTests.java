package io.herald.routing.template;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocaleFallbackTests {

	@Test
	void dropsOneSubtagAtATimeDownToTheDefault() {
		assertThat(LocaleFallback.chain("zh-Hant-TW")).containsExactly("zh-hant-tw", "zh-hant", "zh", "default");
	}

	@Test
	void treatsUnderscoreLikeHyphenAndIgnoresCase() {
		assertThat(LocaleFallback.chain("DE_de")).containsExactly("de-de", "de", "default");
	}

	@Test
	void usesOnlyTheDefaultWithoutALocale() {
		assertThat(LocaleFallback.chain(null)).containsExactly("default");
		assertThat(LocaleFallback.chain(" ")).containsExactly("default");
	}

}

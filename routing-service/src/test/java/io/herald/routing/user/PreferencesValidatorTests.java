package io.herald.routing.user;

import io.herald.events.Channel;
import io.herald.events.JsonCodec;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Preferences.QuietHours;
import io.herald.support.web.FieldProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PreferencesValidatorTests {

	@Test
	void acceptsTheExampleOfTheApi() {
		Preferences preferences = valid("""
				{"channels": {"email": true, "sms": false},
				 "categories": {"marketing.*": {"enabled": false}, "order.*": {"channels": ["push", "inapp"]}},
				 "quietHours": {"start": "22:00", "end": "07:00"}}""");
		assertThat(preferences.channels()).isEqualTo(Map.of(Channel.EMAIL, true, Channel.SMS, false));
		assertThat(preferences.categories()).isEqualTo(Map.of("marketing.*", new CategoryRule(false, null), "order.*",
				new CategoryRule(null, Set.of(Channel.PUSH, Channel.INAPP))));
		assertThat(preferences.quietHours()).isEqualTo(new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0)));
	}

	@Test
	void anEmptyObjectIsTheDefaults() {
		assertThat(valid("{}")).isEqualTo(Preferences.DEFAULT);
		assertThat(valid("{\"channels\": null, \"categories\": null, \"quietHours\": null}"))
			.isEqualTo(Preferences.DEFAULT);
	}

	@Test
	void ignoresUnknownFields() {
		assertThat(valid("{\"digest\": \"weekly\"}")).isEqualTo(Preferences.DEFAULT);
	}

	@Test
	void acceptsACategoryRuleWithBothEnabledAndChannels() {
		assertThat(valid("{\"categories\": {\"*\": {\"enabled\": true, \"channels\": [\"email\", \"email\"]}}}")
			.categories()).isEqualTo(Map.of("*", new CategoryRule(true, Set.of(Channel.EMAIL))));
	}

	@Test
	void acceptsADigestChoiceAloneOrWithTheOtherFields() {
		assertThat(valid("""
				{"categories": {"order.*": {"digest": "off"}, "news.*": {"digest": "PT1H", "channels": ["email"]},
				 "marketing.*": {"digest": "09:00"}}}""").categories()).isEqualTo(Map.of("order.*",
				new CategoryRule(null, null, "off"), "news.*", new CategoryRule(null, Set.of(Channel.EMAIL), "PT1H"),
				"marketing.*", new CategoryRule(null, null, "09:00")));
	}

	@Test
	void acceptsQuietHoursWithinOneDay() {
		assertThat(valid("{\"quietHours\": {\"start\": \"00:00\", \"end\": \"23:59\"}}").quietHours())
			.isEqualTo(new QuietHours(LocalTime.MIDNIGHT, LocalTime.of(23, 59)));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';',
			textBlock = """
					not an object ; [] ; ''
					channels not an object ; {"channels": ["email"]} ; channels
					unknown channel ; {"channels": {"pigeon": true}} ; channels.pigeon
					channel switch not a boolean ; {"channels": {"sms": "off"}} ; channels.sms
					categories not an object ; {"categories": ["order.*"]} ; categories
					category pattern with capitals ; {"categories": {"Order.*": {"enabled": false}}} ; categories.Order.*
					category pattern with a wildcard inside ; {"categories": {"order.*.shipped": {"enabled": false}}} ; categories.order.*.shipped
					category pattern with a bare suffix wildcard ; {"categories": {"order*": {"enabled": false}}} ; categories.order*
					category pattern empty ; {"categories": {"": {"enabled": false}}} ; categories.
					category rule not an object ; {"categories": {"order.*": false}} ; categories.order.*
					category rule empty ; {"categories": {"order.*": {}}} ; categories.order.*
					category enabled not a boolean ; {"categories": {"order.*": {"enabled": "no"}}} ; categories.order.*.enabled
					category channels not an array ; {"categories": {"order.*": {"channels": "push"}}} ; categories.order.*.channels
					category channels empty ; {"categories": {"order.*": {"channels": []}}} ; categories.order.*.channels
					category channel unknown ; {"categories": {"order.*": {"channels": ["push", "fax"]}}} ; categories.order.*.channels[1]
					category channel not a string ; {"categories": {"order.*": {"channels": [1]}}} ; categories.order.*.channels[0]
					digest neither off nor a window ; {"categories": {"order.*": {"digest": "weekly"}}} ; categories.order.*.digest
					digest window too short ; {"categories": {"order.*": {"digest": "PT30S"}}} ; categories.order.*.digest
					digest window too long ; {"categories": {"order.*": {"digest": "P8D"}}} ; categories.order.*.digest
					digest window negative ; {"categories": {"order.*": {"digest": "-PT1H"}}} ; categories.order.*.digest
					digest not a string ; {"categories": {"order.*": {"digest": false}}} ; categories.order.*.digest
					digest time with seconds ; {"categories": {"order.*": {"digest": "09:00:00"}}} ; categories.order.*.digest
					quiet hours not an object ; {"quietHours": "22:00-07:00"} ; quietHours
					quiet hours without start ; {"quietHours": {"end": "07:00"}} ; quietHours.start
					quiet hours without end ; {"quietHours": {"start": "22:00"}} ; quietHours.end
					quiet hours with seconds ; {"quietHours": {"start": "22:00:00", "end": "07:00"}} ; quietHours.start
					quiet hours without leading zero ; {"quietHours": {"start": "22:00", "end": "7:00"}} ; quietHours.end
					quiet hours past midnight ; {"quietHours": {"start": "24:00", "end": "07:00"}} ; quietHours.start
					quiet hours with a bad minute ; {"quietHours": {"start": "22:60", "end": "07:00"}} ; quietHours.start
					quiet hours as a number ; {"quietHours": {"start": 2200, "end": "07:00"}} ; quietHours.start
					quiet hours of no length ; {"quietHours": {"start": "07:00", "end": "07:00"}} ; quietHours.end
					""")
	void rejects(String rule, String json, String field) {
		assertThat(problems(json)).extracting(FieldProblem::field).containsExactly(field);
	}

	@Test
	void namesEveryOffendingFieldAtOnce() {
		assertThat(problems("""
				{"channels": {"fax": true}, "categories": {"A": {"enabled": false}},
				 "quietHours": {"start": "x", "end": "y"}}""")).extracting(FieldProblem::field)
			.containsExactly("channels.fax", "categories.A", "quietHours.start", "quietHours.end");
	}

	@Test
	void limitsTheNumberOfCategoryRules() {
		String rules = IntStream.range(0, PreferencesValidator.MAX_CATEGORIES + 1)
			.mapToObj((i) -> "\"c" + i + "\": {\"enabled\": false}")
			.collect(Collectors.joining(",", "{\"categories\": {", "}}"));
		assertThat(problems(rules)).extracting(FieldProblem::field).containsExactly("categories");
		String allowed = IntStream.range(0, PreferencesValidator.MAX_CATEGORIES)
			.mapToObj((i) -> "\"c" + i + "\": {\"enabled\": false}")
			.collect(Collectors.joining(",", "{\"categories\": {", "}}"));
		assertThat(valid(allowed).categories()).hasSize(PreferencesValidator.MAX_CATEGORIES);
	}

	@ParameterizedTest
	@ValueSource(strings = { "*", "order.shipped", "marketing.*", "a", "a_b-c.d" })
	void acceptsCategoryPatterns(String pattern) {
		assertThat(PreferencesValidator.isCategoryPattern(pattern)).isTrue();
	}

	@Test
	void categoryPatternsAreEventTypesOfAtMost100Characters() {
		assertThat(PreferencesValidator.isCategoryPattern("x".repeat(100))).isTrue();
		assertThat(PreferencesValidator.isCategoryPattern("x".repeat(100) + ".*")).isTrue();
		assertThat(PreferencesValidator.isCategoryPattern("x".repeat(101))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "**", "*.order", "order.*.x", "Order", "order shipped", "order|x", "order.{x}" })
	void rejectsWhatIsNotACategoryPattern(String pattern) {
		assertThat(PreferencesValidator.isCategoryPattern(pattern)).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "00:00, 00:00", "07:05, 07:05", "23:59, 23:59" })
	void readsTimesOfDay(String text, LocalTime expected) {
		assertThat(PreferencesValidator.timeOfDay(text)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "24:00", "7:00", "07:0", "07:00:00", "07.00", "0700", "", " 07:00" })
	void rejectsWhatIsNotATimeOfDay(String text) {
		assertThat(PreferencesValidator.timeOfDay(text)).isNull();
	}

	private static Preferences valid(String json) {
		Validated<Preferences> result = PreferencesValidator.validate(JsonCodec.MAPPER.readTree(json));
		assertThat(result).isInstanceOf(Validated.Valid.class);
		return result.orElseReject();
	}

	private static List<FieldProblem> problems(String json) {
		Validated<Preferences> result = PreferencesValidator.validate(JsonCodec.MAPPER.readTree(json));
		assertThat(result).isInstanceOf(Validated.Invalid.class);
		return ((Validated.Invalid<Preferences>) result).problems();
	}

}

package io.herald.routing.user;

import io.herald.events.JsonCodec;
import io.herald.events.Profile;
import io.herald.events.ProfilePatch;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.FieldProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProfileValidatorTests {

	@Test
	void acceptsTheExampleOfTheApi() {
		assertThat(
				valid("""
						{"email": "ada@example.com", "phone": "+4915112345678", "locale": "de-DE", "timezone": "Europe/Berlin"}"""))
			.isEqualTo(new Profile("ada@example.com", "+4915112345678", "de-DE", "Europe/Berlin"));
	}

	@Test
	void everyFieldIsOptionalAndNullMeansAbsent() {
		assertThat(valid("{}")).isEqualTo(Profile.EMPTY);
		assertThat(valid("{\"email\": null, \"phone\": null, \"locale\": null, \"timezone\": null}"))
			.isEqualTo(Profile.EMPTY);
	}

	@Test
	void ignoresUnknownFields() {
		assertThat(valid("{\"nickname\": \"ada\", \"locale\": \"en\"}")).isEqualTo(new Profile(null, null, "en", null));
	}

	@Test
	void storesTheLocaleInCanonicalCase() {
		assertThat(valid("{\"locale\": \"EN-us\"}").locale()).isEqualTo("en-US");
	}

	@Test
	void rejectsABodyThatIsNotAnObject() {
		assertThat(problems("[]")).containsExactly(new FieldProblem("", "must be a JSON object"));
		assertThat(problems("\"ada\"")).extracting(FieldProblem::field).containsExactly("");
	}

	@Test
	void namesEveryOffendingField() {
		assertThat(
				problems("{\"email\": \"nope\", \"phone\": \"0151\", \"locale\": \"de_DE\", \"timezone\": \"+02:00\"}"))
			.extracting(FieldProblem::field)
			.containsExactly("email", "phone", "locale", "timezone");
	}

	@Test
	void rejectsValuesOfTheWrongJsonType() {
		assertThat(problems("{\"email\": 5, \"phone\": 4915112345678, \"locale\": [\"de\"], \"timezone\": {}}"))
			.extracting(FieldProblem::field)
			.containsExactly("email", "phone", "locale", "timezone");
	}

	@Test
	void invalidProfileIsRejectedAsInvalidRequest() {
		assertThatExceptionOfType(ApiProblemException.class)
			.isThrownBy(() -> ProfileValidator.validate(JsonCodec.MAPPER.readTree("{\"email\": \"x\"}")).orElseReject())
			.satisfies((ex) -> {
				assertThat(ex.problem().getStatus()).isEqualTo(400);
				assertThat(ex.problem().getProperties()).containsEntry("code", "invalid_request");
				assertThat(ex.getMessage()).isEqualTo("The field email is invalid.");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "ada@example.com", "ada.lovelace+news@mail.example.co.uk", "a@b.c", "ü@exämple.de",
			"o'brien@example.ie" })
	void acceptsEmailAddresses(String email) {
		assertThat(ProfileValidator.isEmail(email)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "ada", "@example.com", "ada@", "ada@example", "ada@@example.com", "ada@b@example.com",
			"ada @example.com", "ada@example .com", "ada@.example.com", "ada@example.com.", "ada@example..com",
			"ada@exa\tmple.com", "ada@exa\u0000mple.com" })
	void rejectsWhatIsNotAnEmailAddress(String email) {
		assertThat(ProfileValidator.isEmail(email)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "host\udc00ile@example.com", "ada@example.com\ud800", "\ud83d@example.com" })
	void rejectsEmailAddressesWithAnUnpairedSurrogate(String email) {
		assertThat(ProfileValidator.isEmail(email)).isFalse();
		assertThat(problems("{\"email\": \"" + email + "\"}")).extracting(FieldProblem::field).containsExactly("email");
	}

	@Test
	void acceptsEmailAddressesOutsideTheBasicMultilingualPlane() {
		assertThat(ProfileValidator.isEmail("\ud83d\ude00@example.com")).isTrue();
	}

	@Test
	void limitsEmailAddressesTo254Characters() {
		String domain = "@example.com";
		assertThat(ProfileValidator.isEmail("a".repeat(254 - domain.length()) + domain)).isTrue();
		assertThat(ProfileValidator.isEmail("a".repeat(255 - domain.length()) + domain)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "+4915112345678", "+12025550123", "+49151234", "+123456789012345" })
	void acceptsE164PhoneNumbers(String phone) {
		assertThat(ProfileValidator.isPhone(phone)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "4915112345678", "+0915112345678", "+4915", "+4912345", "+1234567890123456",
			"+49 151 12345678", "+49-151-12345678", "+49151123456a", "00491511234567", "" })
	void rejectsWhatIsNotAnE164PhoneNumber(String phone) {
		assertThat(ProfileValidator.isPhone(phone)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "de-DE", "en", "zh-Hant-TW", "sr-Latn-RS", "es-419", "en-US-x-twain", "gsw-CH" })
	void acceptsBcp47LanguageTags(String locale) {
		assertThat(ProfileValidator.canonicalLocale(locale)).isEqualTo(locale);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "", "de_DE", "und", "x-private", "english", "e", "-de", "de-", "de--DE", "1234", "de-DE-" })
	void rejectsWhatIsNotAUsableLanguageTag(String locale) {
		assertThat(ProfileValidator.canonicalLocale(locale)).isNull();
	}

	@Test
	void limitsLanguageTagsTo35Characters() {
		String tag = "de-DE-x-abcdefgh-abcdefgh-abcdef-ab";
		assertThat(tag).hasSize(35);
		assertThat(ProfileValidator.canonicalLocale(tag)).isEqualTo(tag);
		assertThat(ProfileValidator.canonicalLocale(tag + "-a")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Europe/Berlin", "America/New_York", "UTC", "Etc/GMT+2", "Asia/Kolkata" })
	void acceptsIanaTimeZoneIds(String timezone) {
		assertThat(ProfileValidator.isTimezone(timezone)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "+02:00", "UTC+2", "GMT+02:00", "Z", "EST", "europe/berlin", "Europe/Atlantis", "" })
	void rejectsOffsetsAbbreviationsAndUnknownZones(String timezone) {
		assertThat(ProfileValidator.isTimezone(timezone)).isFalse();
	}

	@Test
	void aPatchSetsPresentFieldsRemovesNullOnesAndKeepsAbsentOnes() {
		Validated<ProfilePatch> result = ProfileValidator.validatePatch(
				JsonCodec.MAPPER.readTree("{\"phone\": \"+4915112345678\", \"email\": null, \"locale\": \"EN-us\"}"));
		assertThat(result.orElseReject())
			.isEqualTo(new ProfilePatch(new Profile(null, "+4915112345678", "en-US", null), Set.of("email")));
		assertThat(ProfileValidator.validatePatch(JsonCodec.MAPPER.readTree("{}")).orElseReject())
			.isEqualTo(new ProfilePatch(Profile.EMPTY, Set.of()));
	}

	@Test
	void aPatchIsCheckedFieldByFieldLikeAPut() {
		Validated<ProfilePatch> result = ProfileValidator
			.validatePatch(JsonCodec.MAPPER.readTree("{\"phone\": \"0151\", \"timezone\": 5, \"email\": null}"));
		assertThat(result).isInstanceOf(Validated.Invalid.class);
		assertThat(((Validated.Invalid<ProfilePatch>) result).problems()).extracting(FieldProblem::field)
			.containsExactly("phone", "timezone");
		assertThat(ProfileValidator.validatePatch(JsonCodec.MAPPER.readTree("[null]")))
			.isInstanceOf(Validated.Invalid.class);
	}

	private static Profile valid(String json) {
		Validated<Profile> result = ProfileValidator.validate(JsonCodec.MAPPER.readTree(json));
		assertThat(result).isInstanceOf(Validated.Valid.class);
		return result.orElseReject();
	}

	private static List<FieldProblem> problems(String json) {
		Validated<Profile> result = ProfileValidator.validate(JsonCodec.MAPPER.readTree(json));
		assertThat(result).isInstanceOf(Validated.Invalid.class);
		return ((Validated.Invalid<Profile>) result).problems();
	}

}

package io.herald.routing.user;

import io.herald.events.JsonCodec;
import io.herald.events.Profile;
import io.herald.events.ProfilePatch;
import io.herald.support.web.FieldProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks the body of {@code PUT /v1/users/{userId}} and turns it into a {@link Profile},
 * or of {@code PATCH} into a {@link ProfilePatch}. Every field is optional; for
 * {@code PUT} a field that is absent or {@code null} is stored as absent (the profile is
 * replaced, not merged). Unknown fields are ignored.
 *
 * <ul>
 * <li>{@code email}: a pragmatic check, not RFC 5322: at most {@value #MAX_EMAIL_LENGTH}
 * characters, no whitespace, control characters or unpaired surrogates, exactly one
 * {@code @}, a non-empty local part, and a domain of non-empty labels with at least one
 * dot. Whether the address exists is the mail server's business.</li>
 * <li>{@code phone}: E.164, {@code +} then 8 to 15 digits, the first not {@code 0}.</li>
 * <li>{@code locale}: a well-formed BCP 47 tag of at most {@value #MAX_LOCALE_LENGTH}
 * characters with a 2 or 3 letter language, stored in its canonical case ({@code en-us}
 * becomes {@code en-US}).</li>
 * <li>{@code timezone}: an id of the IANA time zone database as the JDK knows it
 * ({@code Europe/Berlin}, {@code UTC}, {@code Etc/GMT+2}). Offsets ({@code +02:00},
 * {@code UTC+2}) and abbreviations ({@code EST}) are rejected: quiet hours must follow
 * the user's daylight saving time, which an offset cannot.</li>
 * </ul>
 */
final class ProfileValidator {

	/**
	 * Longest email address: the limit of an SMTP forward path (RFC 5321 section
	 * 4.5.3.1.3).
	 */
	static final int MAX_EMAIL_LENGTH = 254;

	/**
	 * Longest locale: the length RFC 5646 section 4.4.1 asks every implementation to
	 * support.
	 */
	static final int MAX_LOCALE_LENGTH = 35;

	private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");

	private static final Pattern WHITESPACE_OR_CONTROL = Pattern.compile("[\\s\\p{Cntrl}]");

	private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");

	/**
	 * The JDK's time zone ids, read once: the set is copied on every call of
	 * {@link ZoneId}.
	 */
	private static final Set<String> ZONE_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());

	/** The rule of each field, in the order of {@link Profile}'s components. */
	private static final List<Rule> RULES = List.of(
			new Rule("email", (value) -> isEmail(value) ? value : null,
					"must be an email address such as ada@example.com, at most " + MAX_EMAIL_LENGTH + " characters"),
			new Rule("phone", (value) -> isPhone(value) ? value : null,
					"must be an E.164 phone number: + then 8 to 15 digits, such as +4915112345678"),
			new Rule("locale", ProfileValidator::canonicalLocale,
					"must be a BCP 47 language tag such as de-DE, at most " + MAX_LOCALE_LENGTH + " characters"),
			new Rule("timezone", (value) -> isTimezone(value) ? value : null,
					"must be an IANA time zone id such as Europe/Berlin (offsets like +02:00 are not accepted)"));

	private ProfileValidator() {
	}

	/** Checks the body of {@code PUT}: a whole profile. */
	static Validated<Profile> validate(JsonNode body) {
		if (!body.isObject()) {
			return Validated.notAnObject();
		}
		FieldProblems problems = new FieldProblems();
		List<@Nullable String> values = new ArrayList<>();
		for (Rule rule : RULES) {
			values.add(rule.read(body, problems));
		}
		return Validated.of(problems, () -> profile(values));
	}

	/**
	 * Checks the body of {@code PATCH}, a JSON merge patch (RFC 7396): a field with a
	 * value is set (checked as for {@code PUT}), a field that is {@code null} is removed,
	 * an absent one is kept.
	 */
	static Validated<ProfilePatch> validatePatch(JsonNode body) {
		if (!body.isObject()) {
			return Validated.notAnObject();
		}
		FieldProblems problems = new FieldProblems();
		List<@Nullable String> values = new ArrayList<>();
		Set<String> remove = new TreeSet<>();
		for (Rule rule : RULES) {
			JsonNode node = body.get(rule.name());
			if (node != null && node.isNull()) {
				remove.add(rule.name());
			}
			values.add(rule.read(body, problems));
		}
		return Validated.of(problems, () -> new ProfilePatch(profile(values), remove));
	}

	private static Profile profile(List<@Nullable String> values) {
		return new Profile(values.get(0), values.get(1), values.get(2), values.get(3));
	}

	/** Whether a string passes the pragmatic email check described above. */
	static boolean isEmail(String value) {
		if (value.length() > MAX_EMAIL_LENGTH || WHITESPACE_OR_CONTROL.matcher(value).find()
				|| !JsonCodec.isWellFormed(value)) {
			return false;
		}
		int at = value.indexOf('@');
		if (at <= 0 || at != value.lastIndexOf('@')) {
			return false;
		}
		String domain = value.substring(at + 1);
		return domain.indexOf('.') > 0 && !domain.endsWith(".") && !domain.contains("..");
	}

	/** Whether a string is an E.164 phone number. */
	static boolean isPhone(String value) {
		return E164.matcher(value).matches();
	}

	/**
	 * The canonical form of a BCP 47 language tag, or {@code null} if it is not a usable
	 * one.
	 */
	static @Nullable String canonicalLocale(String value) {
		if (value.isEmpty() || value.length() > MAX_LOCALE_LENGTH) {
			return null;
		}
		Locale locale = Locale.forLanguageTag(value);
		String canonical = locale.toLanguageTag();
		boolean roundTrips = canonical.equalsIgnoreCase(value);
		return (roundTrips && LANGUAGE.matcher(locale.getLanguage()).matches()) ? canonical : null;
	}

	/** Whether a string is an id of the IANA time zone database. */
	static boolean isTimezone(String value) {
		return ZONE_IDS.contains(value);
	}

	/**
	 * How one optional string field is checked.
	 *
	 * @param parse the stored value, or {@code null} when the string is not acceptable
	 * @param expected what the problem says when it is not
	 */
	private record Rule(String name, Function<String, @Nullable String> parse, String expected) {

		/**
		 * The field's stored value, or {@code null} when it is absent, {@code null} or
		 * not acceptable.
		 */
		@Nullable String read(JsonNode body, FieldProblems problems) {
			JsonNode node = FieldProblems.present(body.get(this.name));
			if (node == null) {
				return null;
			}
			String parsed = node.isString() ? this.parse.apply(node.stringValue()) : null;
			if (parsed == null) {
				problems.add(this.name, this.expected);
			}
			return parsed;
		}

	}

}

package io.herald.events;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DigestWindowTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	@Test
	void parsesDurationsWithinTheirBoundsAndTimesOfDay() {
		assertThat(DigestWindow.parse("PT1H")).isEqualTo(new DigestWindow.Every(Duration.ofHours(1)));
		assertThat(DigestWindow.parse("P7D")).isEqualTo(new DigestWindow.Every(Duration.ofDays(7)));
		assertThat(DigestWindow.parse("09:30")).isEqualTo(new DigestWindow.DailyAt(LocalTime.of(9, 30)));
		assertThat(DigestWindow.parse("PT59S")).isNull();
		assertThat(DigestWindow.parse("P8D")).isNull();
		assertThat(DigestWindow.parse("PT-1H")).isNull();
		assertThat(DigestWindow.parse("24:00")).isNull();
		assertThat(DigestWindow.parse("9:30")).isNull();
		assertThat(DigestWindow.parse("P" + "9".repeat(40) + "D")).isNull();
		assertThat(DigestWindow.parse("off")).isNull();
		assertThat(DigestWindow.parse(null)).isNull();
	}

	@Test
	void aFixedWindowEndsItsLengthAfterItsFirstNotification() {
		Instant start = Instant.parse("2026-11-22T10:15:00Z");
		assertThat(new DigestWindow.Every(Duration.ofHours(1)).end(start, ZoneOffset.UTC))
			.isEqualTo(Instant.parse("2026-11-22T11:15:00Z"));
	}

	@Test
	void aDailyWindowEndsAtTheNextTimeOfDayInTheUsersTimezone() {
		DigestWindow nine = new DigestWindow.DailyAt(LocalTime.of(9, 0));
		assertThat(nine.end(Instant.parse("2026-11-22T07:00:00Z"), BERLIN))
			.isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
		assertThat(nine.end(Instant.parse("2026-11-22T08:00:00Z"), BERLIN))
			.isEqualTo(Instant.parse("2026-11-23T08:00:00Z"));
		assertThat(nine.end(Instant.parse("2026-03-28T12:00:00Z"), BERLIN)).as("the day summer time starts")
			.isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
	}

	@Test
	void aCategoryRuleRefusesADigestThatIsNeitherOffNorAWindow() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Preferences.CategoryRule(null, null, "weekly"));
		assertThat(new Preferences.CategoryRule(null, null, "off").digestChoice()).isEqualTo(new DigestChoice.Off());
		assertThat(new Preferences.CategoryRule(false, null).digestChoice()).isEqualTo(new DigestChoice.Tenant());
	}

}

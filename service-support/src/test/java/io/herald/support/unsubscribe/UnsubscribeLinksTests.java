package io.herald.support.unsubscribe;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.herald.support.unsubscribe.UnsubscribeLinks.Verification;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class UnsubscribeLinksTests {

	static final String KEY = "unsubscribe-test-key-0123456789abcdef";

	private static final String OTHER_KEY = "another-unsubscribe-key-0123456789abcdef";

	private static final Instant SENT = Instant.parse("2026-03-01T10:15:30.250Z");

	private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);

	private final UnsubscribeLinks links = links(KEY, List.of(), null);

	private final UnsubscribeLink marketing = UnsubscribeLink.category("acme", "u-42", "marketing.spring", SENT);

	@Test
	void aLinkItMadeIsVerifiedWithWhatItTurnsOff() {
		Verification verification = this.links.verify(this.links.token(this.marketing));

		assertThat(verification).isEqualTo(new Verification.Verified(
				UnsubscribeLink.category("acme", "u-42", "marketing.spring", Instant.parse("2026-03-01T10:15:30Z"))));
	}

	@Test
	void aLinkForAllEmailNamesNoCategory() {
		UnsubscribeLink all = this.marketing.forAllEmail(SENT);

		assertThat(this.links.verify(this.links.token(all))).isInstanceOfSatisfying(Verification.Verified.class,
				(verified) -> {
					assertThat(verified.link().scope()).isEqualTo(UnsubscribeLink.Scope.ALL_EMAIL);
					assertThat(verified.link().category()).isNull();
				});
	}

	@Test
	void theUrlIsTheBaseUrlThenThePathThenTheToken() {
		UnsubscribeLinks withBase = links(KEY, List.of(), URI.create("https://notify.example.com/"));

		assertThat(withBase.url(this.marketing)).hasValueSatisfying((url) -> {
			assertThat(url.toString()).startsWith("https://notify.example.com/v1/unsubscribe/")
				.endsWith(withBase.token(this.marketing));
			assertThat(url.getRawPath()).doesNotContain("//");
		});
		assertThat(withBase.makesLinks()).isTrue();
		assertThat(this.links.url(this.marketing)).as("no base URL").isEmpty();
	}

	@Test
	void everyAlteredByteOfTheTokenIsRefused() {
		String token = this.links.token(this.marketing);
		for (int i = 0; i < token.length(); i++) {
			char replacement = (token.charAt(i) == 'A') ? 'B' : 'A';
			if (token.charAt(i) == '.') {
				continue;
			}
			String altered = token.substring(0, i) + replacement + token.substring(i + 1);
			assertThat(this.links.verify(altered)).as("byte %d", i)
				.isInstanceOfAny(Verification.Invalid.class, Verification.Malformed.class);
		}
	}

	@Test
	void anotherUsersPayloadUnderThisSignatureIsRefused() {
		String token = this.links.token(this.marketing);
		String signature = token.substring(token.indexOf('.') + 1);
		String otherPayload = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("u1|acme|u-43|c|marketing.spring|1772360130".getBytes(StandardCharsets.UTF_8));

		assertThat(this.links.verify(otherPayload + "." + signature)).isInstanceOf(Verification.Invalid.class);
	}

	@Test
	void aTokenSignedWithAnotherKeyIsRefused() {
		String foreign = links(OTHER_KEY, List.of(), null).token(this.marketing);

		assertThat(this.links.verify(foreign)).isInstanceOf(Verification.Invalid.class);
	}

	@Test
	void aRotatedKeyStillVerifiesLinksItSignedButSignsNoNewOnes() {
		String old = links(OTHER_KEY, List.of(), null).token(this.marketing);
		UnsubscribeLinks rotated = links(KEY, List.of(OTHER_KEY), null);

		assertThat(rotated.verify(old)).isInstanceOf(Verification.Verified.class);
		assertThat(rotated.token(this.marketing)).isEqualTo(this.links.token(this.marketing));
	}

	@Test
	void withoutAKeyNoLinkIsMadeAndEveryTokenIsRefused() {
		UnsubscribeLinks off = links(null, List.of(), URI.create("https://notify.example.com"));

		assertThat(off.makesLinks()).isFalse();
		assertThat(off.url(this.marketing)).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> off.token(this.marketing));
		assertThat(off.verify(this.links.token(this.marketing))).isInstanceOf(Verification.Invalid.class);
	}

	@Test
	void previousKeysAloneCheckLinksButNeverSignNewOnes() {
		UnsubscribeLinks retired = links(null, List.of(KEY), URI.create("https://notify.example.com"));

		assertThat(retired.verify(this.links.token(this.marketing))).isInstanceOf(Verification.Verified.class);
		assertThat(retired.makesLinks()).isFalse();
		assertThat(retired.url(this.marketing)).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> retired.token(this.marketing));
	}

	@Test
	void aBlankPreviousKeyIsRefusedWithWhatToDoInstead() {
		assertThatIllegalArgumentException().isThrownBy(() -> new UnsubscribeProperties(KEY, List.of(" "), null, null))
			.withMessageContaining("previous-signing-keys[0]")
			.withMessageEndingWith("or leave it unset (drop it from the list)");
	}

	@Test
	void garbageIsMalformedNotForged() {
		for (String garbage : new String[] { "", ".", "abc", "a.b.c", "%%%.***", "....", ".abc", "x".repeat(5000),
				"YQ.YQ" + "=".repeat(3) }) {
			assertThat(this.links.verify(garbage)).as(garbage.length() > 40 ? "long" : garbage)
				.isInstanceOfAny(Verification.Malformed.class, Verification.Invalid.class);
		}
		assertThat(this.links.verify("x".repeat(5000))).isInstanceOf(Verification.Malformed.class);
		assertThat(this.links.verify("not-base64!.x")).isInstanceOf(Verification.Malformed.class);
	}

	@Test
	void aSignedPayloadOfAnotherShapeIsMalformed() throws GeneralSecurityException {
		UnsubscribeLinks links = this.links;

		assertThat(links.verify(signed("u2|acme|u-42|c|marketing|1"))).isInstanceOf(Verification.Malformed.class);
		assertThat(links.verify(signed("u1|acme|u-42|x|marketing|1"))).isInstanceOf(Verification.Malformed.class);
		assertThat(links.verify(signed("u1|acme|u-42|c|Not A Type|1"))).isInstanceOf(Verification.Malformed.class);
		assertThat(links.verify(signed("u1|acme|u-42|c|marketing|soon"))).isInstanceOf(Verification.Malformed.class);
	}

	@Test
	void linksExpireOnlyWhenAMaxAgeIsSet() {
		UnsubscribeLink old = UnsubscribeLink.category("acme", "u-42", "marketing",
				Instant.parse("2020-01-01T00:00:00Z"));
		String token = this.links.token(old);

		assertThat(this.links.verify(token)).isInstanceOf(Verification.Verified.class);
		UnsubscribeLinks yearLong = new UnsubscribeLinks(
				new UnsubscribeProperties(KEY, List.of(), null, Duration.ofDays(365)), NOW);
		assertThat(yearLong.verify(token)).isEqualTo(new Verification.Expired(old));
		assertThat(yearLong.verify(yearLong.token(this.marketing))).isInstanceOf(Verification.Verified.class);
	}

	@Test
	void linksAreOnlyMadeForIdsThatCanBeUsers() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UnsubscribeLink.category("acme", "u|42", "marketing", SENT));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> UnsubscribeLink.category("Acme", "u-42", "marketing", SENT));
		assertThatIllegalArgumentException().isThrownBy(() -> UnsubscribeLink.category("acme", "u-42", "a|b", SENT));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new UnsubscribeLink("acme", "u-42", UnsubscribeLink.Scope.ALL_EMAIL, "marketing", SENT));
	}

	/** A token of this payload with a valid signature of {@link #KEY}. */
	private static String signed(String payload) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		return base64.encodeToString(bytes) + "." + base64.encodeToString(mac.doFinal(bytes));
	}

	private static UnsubscribeLinks links(String key, List<String> previous, URI baseUrl) {
		return new UnsubscribeLinks(new UnsubscribeProperties(key, previous, baseUrl, null), NOW);
	}

}

package io.herald.ingestion.status;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ListCursorTests {

	private static final StatusLists.Position POSITION = new StatusLists.Position(1_795_647_775_063L,
			"2cacd356-037f-45df-b93b-05ca5d6f2e70|push|ios:1a2b");

	@Test
	void aCursorNamesThePositionItWasMadeFor() {
		String cursor = ListCursor.encode("acme|events|1|2", POSITION);
		assertThat(cursor).matches("[A-Za-z0-9_-]+").hasSizeLessThan(ListCursor.MAX_LENGTH);
		assertThat(ListCursor.decode("acme|events|1|2", cursor)).isEqualTo(POSITION);
	}

	@Test
	void aCursorOfAnotherTenantListOrQueryIsNone() {
		String cursor = ListCursor.encode("acme|events|1|2", POSITION);
		assertThat(ListCursor.decode("globex|events|1|2", cursor)).isNull();
		assertThat(ListCursor.decode("acme|events|1|3", cursor)).isNull();
		assertThat(ListCursor.decode("acme|deliveries|u-1", cursor)).isNull();
	}

	@Test
	void aChangedOrShortenedCursorIsNone() {
		String cursor = ListCursor.encode("acme|deliveries|u-1", POSITION);
		byte[] bytes = Base64.getUrlDecoder().decode(cursor);
		for (int i = 0; i < bytes.length; i++) {
			byte[] changed = bytes.clone();
			changed[i] ^= 0x01;
			assertThat(ListCursor.decode("acme|deliveries|u-1",
					Base64.getUrlEncoder().withoutPadding().encodeToString(changed)))
				.as("byte %d changed", i)
				.isNull();
		}
		assertThat(ListCursor.decode("acme|deliveries|u-1", cursor.substring(0, cursor.length() - 2))).isNull();
	}

	@Test
	void garbageIsNoCursor() {
		for (String garbage : new String[] { "", "x", "====", "not a cursor", "A".repeat(ListCursor.MAX_LENGTH + 1),
				Base64.getUrlEncoder().encodeToString(new byte[] { 1, 2, 3 }) }) {
			assertThat(ListCursor.decode("acme|deliveries|u-1", garbage)).as(garbage).isNull();
		}
	}

}

package io.herald.loaddriver;

import java.time.Duration;

/**
 * Reading the values of command-line options, with messages that say what was expected.
 */
public final class Arguments {

	private Arguments() {
	}

	/**
	 * A positive whole number.
	 * @throws IllegalArgumentException naming the option {@code --name} if it is not one
	 */
	public static int positive(String value, String name) {
		try {
			int number = Integer.parseInt(value);
			if (number > 0) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException("--" + name + " must be a positive whole number, got '" + value + "'");
	}

	/**
	 * A duration such as {@code 500ms}, {@code 30s} (the unit may be left out) or
	 * {@code 2m}.
	 * @throws IllegalArgumentException if it is not one
	 */
	public static Duration duration(String value) {
		String number = value.replaceAll("[a-z]+$", "");
		String unit = value.substring(number.length());
		try {
			long amount = Long.parseLong(number);
			return switch (unit) {
				case "ms" -> Duration.ofMillis(amount);
				case "s", "" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> throw new IllegalArgumentException("unknown unit");
			};
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("a duration looks like 500ms, 30s or 2m, got '" + value + "'");
		}
	}

}

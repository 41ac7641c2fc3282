package io.herald.infra.otlp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;

/**
 * Reads the protobuf wire format field by field, enough to walk OTLP messages without
 * their generated classes: varints, 64- and 32-bit fixed values, and length-delimited
 * fields (strings, bytes, nested messages).
 */
final class Protobuf {

	private static final int VARINT = 0;

	private static final int FIXED64 = 1;

	private static final int LENGTH_DELIMITED = 2;

	private static final int FIXED32 = 5;

	private Protobuf() {
	}

	/**
	 * Calls {@code field} with the number and value of every field of a message, in
	 * order. A varint or fixed value comes as a {@link Long}, a length-delimited one as
	 * its bytes.
	 * @throws IllegalArgumentException for bytes that are no protobuf message
	 */
	static void fields(byte[] message, BiConsumer<Integer, Object> field) {
		ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
		while (in.hasRemaining()) {
			long tag = varint(in);
			int number = (int) (tag >>> 3);
			switch ((int) (tag & 7)) {
				case VARINT -> field.accept(number, varint(in));
				case FIXED64 -> field.accept(number, in.getLong());
				case FIXED32 -> field.accept(number, (long) in.getInt());
				case LENGTH_DELIMITED -> {
					long length = varint(in);
					if (length < 0 || length > in.remaining()) {
						throw new IllegalArgumentException("field " + number + " is longer than its message");
					}
					byte[] value = new byte[(int) length];
					in.get(value);
					field.accept(number, value);
				}
				default -> throw new IllegalArgumentException("unsupported wire type in tag " + tag);
			}
		}
	}

	private static long varint(ByteBuffer in) {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			byte b = in.get();
			value |= (long) (b & 0x7f) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
		}
		throw new IllegalArgumentException("varint longer than 10 bytes");
	}

}

package io.vmconfig.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import java.util.SplittableRandom;

/** Seeded random Jackson trees with every node type a program may build, for the JSON writers' property tests. */
public final class RandomTrees {
    private RandomTrees() {}

    /** A tree of at most 4 levels below {@code depth}; {@code exotic} adds binary nodes, NaN and control text. */
    public static JsonNode tree(SplittableRandom r, int depth, boolean exotic) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kinds = exotic ? 15 : 12;
        int pick = depth >= 4 ? 2 + r.nextInt(kinds - 2) : r.nextInt(kinds);
        switch (pick) {
            case 0: {
                ObjectNode o = f.objectNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.set(text(r), tree(r, depth + 1, exotic));
                }
                return o;
            }
            case 1: {
                ArrayNode a = f.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(tree(r, depth + 1, exotic));
                }
                return a;
            }
            case 2:
                return f.textNode(text(r));
            case 3:
                return f.numberNode(r.nextInt());
            case 4:
                return f.numberNode(r.nextLong());
            case 5:
                return f.numberNode(new BigInteger(80, new Random(r.nextLong())));
            case 6:
                return f.numberNode(r.nextDouble() * 1e6 - 5e5);
            case 7:
                return f.numberNode(new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(12) - 4));
            case 8:
                return f.numberNode((float) r.nextDouble());
            case 9:
                return f.booleanNode(r.nextBoolean());
            case 10:
                return f.nullNode();
            case 12: {
                byte[] bytes = new byte[r.nextInt(40)];
                new Random(r.nextLong()).nextBytes(bytes);
                return f.binaryNode(bytes);
            }
            case 13: {
                double[] odd = {Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE, 1e300};
                return f.numberNode(odd[r.nextInt(odd.length)]);
            }
            case 14:
                return f.textNode("\u0000\u001f\u007f\u2028\ud83d\ude00" + text(r));
            default:
                return f.numberNode((short) r.nextInt(1 << 15));
        }
    }

    /** Text with quotes, escapes, control characters and characters beyond ASCII and the BMP. */
    public static String text(SplittableRandom r) {
        String[] pieces = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "\u00fc", "\u20ac", "\ud83d\ude00"
        };
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(6); i > 0; i--) {
            b.append(pieces[r.nextInt(pieces.length)]);
        }
        return b.toString();
    }
}

package org.myoflow.dicom.scu;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A PACS (or any C-STORE SCP) results are sent to, and which of the results it gets.
 *
 * @param outputs SEG (the segmentation), SR (the measurement report), SC (the burned-in overlay for viewers without
 *     SEG support)
 * @param transferSyntax how the objects are encoded for this destination
 */
public record PacsDestination(String aeTitle, String host, int port, Set<Output> outputs, Encoding transferSyntax) {

    public enum Output { SEG, SR, SC }

    /** The uncompressed transfer syntaxes every PACS takes, and deflate for the bulky SC where it helps. */
    public enum Encoding {
        EXPLICIT("1.2.840.10008.1.2.1"), IMPLICIT("1.2.840.10008.1.2"), DEFLATED("1.2.840.10008.1.2.1.99");

        public final String uid;

        Encoding(String uid) {
            this.uid = uid;
        }
    }

    public PacsDestination {
        outputs = outputs.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(outputs);
    }

    /** A destination that gets every output, explicit VR little endian. */
    public PacsDestination(String aeTitle, String host, int port) {
        this(aeTitle, host, port, EnumSet.allOf(Output.class), Encoding.EXPLICIT);
    }

    /**
     * {@code AE@host:port[/seg+sr+sc][;ts=explicit|implicit|deflated]}, comma-separated; without a suffix a
     * destination gets every output in explicit VR little endian.
     */
    public static List<PacsDestination> parseList(String spec) {
        List<PacsDestination> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String s : spec.split(",")) {
            s = s.strip();
            Encoding ts = Encoding.EXPLICIT;
            int semi = s.indexOf(';');
            if (semi >= 0) {
                String opt = s.substring(semi + 1).strip();
                if (!opt.startsWith("ts=")) {
                    throw new IllegalArgumentException("unknown option \"" + opt + "\" in \"" + s + "\" (ts=...)");
                }
                try {
                    ts = Encoding.valueOf(opt.substring(3).strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown transfer syntax \"" + opt.substring(3)
                            + "\" (explicit, implicit, deflated)");
                }
                s = s.substring(0, semi);
            }
            Set<Output> outputs = EnumSet.allOf(Output.class);
            int slash = s.indexOf('/');
            if (slash >= 0) {
                outputs = EnumSet.noneOf(Output.class);
                for (String o : s.substring(slash + 1).split("\\+")) {
                    try {
                        outputs.add(Output.valueOf(o.strip().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unknown output \"" + o + "\" in \"" + s
                                + "\" (seg, sr, sc)");
                    }
                }
                s = s.substring(0, slash);
            }
            int at = s.indexOf('@'), colon = s.lastIndexOf(':');
            if (at < 1 || colon < at + 2) {
                throw new IllegalArgumentException("PACS destination must be AE@host:port[/seg+sr+sc], got \"" + s
                        + "\"");
            }
            out.add(new PacsDestination(s.substring(0, at), s.substring(at + 1, colon),
                    Integer.parseInt(s.substring(colon + 1)), outputs, ts));
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(aeTitle + "@" + host + ":" + port);
        if (!outputs.equals(EnumSet.allOf(Output.class))) {
            b.append('/');
            outputs.forEach(o -> b.append(b.charAt(b.length() - 1) == '/' ? "" : "+")
                    .append(o.name().toLowerCase(Locale.ROOT)));
        }
        if (transferSyntax != Encoding.EXPLICIT) {
            b.append(";ts=").append(transferSyntax.name().toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}

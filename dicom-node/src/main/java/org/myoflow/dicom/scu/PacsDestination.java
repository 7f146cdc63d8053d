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
 */
public record PacsDestination(String aeTitle, String host, int port, Set<Output> outputs) {

    public enum Output { SEG, SR, SC }

    public PacsDestination {
        outputs = outputs.isEmpty() ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(outputs);
    }

    /** A destination that gets every output. */
    public PacsDestination(String aeTitle, String host, int port) {
        this(aeTitle, host, port, EnumSet.allOf(Output.class));
    }

    /** {@code AE@host:port[/seg+sr+sc]}, comma-separated; without the suffix a destination gets every output. */
    public static List<PacsDestination> parseList(String spec) {
        List<PacsDestination> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String s : spec.split(",")) {
            s = s.strip();
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
                    Integer.parseInt(s.substring(colon + 1)), outputs));
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
        return b.toString();
    }
}

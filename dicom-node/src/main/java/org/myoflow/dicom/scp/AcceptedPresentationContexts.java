package org.myoflow.dicom.scp;

import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;

import java.util.LinkedList;
import java.util.List;

/**
 * Accepts a proposed presentation context when its SOP class is configured (or Verification, or Storage Commitment
 * Push Model) and one of its
 * transfer syntaxes is; picks the configured syntax that comes first. Others get reason 3 (abstract syntax not
 * supported) or 4 (transfer syntaxes not supported), as PS3.8 9.3.3.2 prescribes.
 */
final class AcceptedPresentationContexts implements PresentationContextSelectionPolicy {
    private final ScpConfig config;
    private final java.util.Map<Byte, String> accepted = new java.util.HashMap<>();

    /** After negotiation: accepted presentation context ids and their transfer syntax. */
    java.util.Map<Byte, String> accepted() {
        return accepted;
    }

    AcceptedPresentationContexts(ScpConfig config) {
        this.config = config;
    }

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList proposed, int association, int debug) {
        return applyPresentationContextSelectionPolicy(proposed, association);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList proposed, int association) {
        // Answered in place, as PixelMed's own policies do: one transfer syntax left per context, and a result.
        for (Object o : proposed) {
            PresentationContext pc = (PresentationContext) o;
            String abstractSyntax = pc.getAbstractSyntaxUID();
            List<String> offered = List.copyOf(pc.getTransferSyntaxUIDs());
            String chosen = null;
            for (String ts : config.transferSyntaxes()) {
                if (offered.contains(ts)) {
                    chosen = ts;
                    break;
                }
            }
            byte result;
            if (!ScpConfig.VERIFICATION.equals(abstractSyntax)
                    && !StorageCommitmentService.SOP_CLASS.equals(abstractSyntax)
                    && !config.sopClasses().contains(abstractSyntax)) {
                result = 3;
            } else if (chosen == null) {
                result = 4;
            } else {
                result = 0;
                accepted.put(pc.getIdentifier(), chosen);
            }
            pc.newTransferSyntaxUIDs();
            pc.addTransferSyntaxUID(chosen != null ? chosen : offered.isEmpty() ? "1.2.840.10008.1.2" : offered.get(0));
            pc.setResultReason(result);
        }
        return proposed;
    }
}

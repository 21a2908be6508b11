package dev.ravine.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * A link of an optimizer's chain with its typed state, found by the link's type (through chains and parameter
 * groups), so a reader such as the doctor never goes through the checkpoint names of the state.
 *
 * @param prefix where the link sits, as the checkpoint names its state ("1." for the second link of the top chain)
 */
public record LinkState<T>(T link, TransformState state, String prefix) {
    /** Every link of {@code optimizer}'s chain that is a {@code type}, in chain order; none for a closure method. */
    public static <T> List<LinkState<T>> find(Optimizer optimizer, Class<T> type) {
        List<LinkState<T>> out = new ArrayList<>();
        visit(optimizer.transform(), optimizer.state(), "", type, out);
        return out;
    }

    private static <T> void visit(GradientTransform t, TransformState s, String prefix, Class<T> type, List<LinkState<T>> out) {
        if (type.isInstance(t)) out.add(new LinkState<>(type.cast(t), s, prefix));
        if (t instanceof Chain c && s instanceof Chain.ChainState cs) {
            for (int i = 0; i < c.links().size(); i++) visit(c.links().get(i), cs.states().get(i), prefix + i + ".", type, out);
        } else if (t instanceof Masked m) {
            visit(m.inner(), s, prefix, type, out); // a masked link's state is its inner link's
        }
    }
}

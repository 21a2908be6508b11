package dev.ravine.autograd;

import dev.ravine.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-op finite checks, to find where a NaN or infinity is born. While a check is open on a thread, the output of
 * every op recorded there is scanned in the forward pass, the input gradients of every op's backward, each link of
 * an optimizer's chain and the weights after their update; the first value that turns non-finite from finite ones
 * is kept as the {@link #origin()}. Modules tell the check where it is ({@link #enter}), so an op is named with the
 * layer it ran in, and the tape remembers that layer for the op's backward ({@link Node#scope()}).
 *
 * <p>Off by default, and nearly free when off: every hook first reads one volatile count of open checks, zero
 * unless some thread has one open. The doctor opens one only to replay a step that turned non-finite.
 */
public final class FiniteCheck implements AutoCloseable {
    /** Checks open on any thread: the hooks' fast path reads only this. */
    private static volatile int openChecks;
    private static final ThreadLocal<FiniteCheck> CURRENT = new ThreadLocal<>();

    private final Map<Object, String> scopeNames = new IdentityHashMap<>();
    private final Map<Object, String> parameterNames = new IdentityHashMap<>();
    private final ArrayDeque<Object> scopes = new ArrayDeque<>();
    private final FiniteCheck previous;
    private int backwardDepth;
    private long step;
    private NonFiniteOrigin origin;
    private boolean closed;

    private FiniteCheck(Map<?, String> scopeNames, Map<String, Tensor> parameters) {
        this.scopeNames.putAll(scopeNames);
        for (Map.Entry<String, Tensor> p : parameters.entrySet()) {
            parameterNames.put(p.getValue(), p.getKey());
            parameterNames.put(p.getValue().storage(), p.getKey()); // how optimizer links see the weights
        }
        this.previous = CURRENT.get();
    }

    /**
     * Opens a check on this thread until {@link #close()}.
     *
     * @param scopeNames what to call each module (by identity) that {@link #enter}s, e.g. {@code model.layers[3]}
     * @param parameters the parameters by name, so an op or update that involves one can name it
     */
    public static FiniteCheck open(Map<?, String> scopeNames, Map<String, Tensor> parameters) {
        FiniteCheck check = new FiniteCheck(scopeNames, parameters);
        synchronized (FiniteCheck.class) {
            openChecks++;
        }
        CURRENT.set(check);
        return check;
    }

    /** The step the following ops belong to, for {@link NonFiniteOrigin#step()}. */
    public void atStep(long step) {
        this.step = step;
    }

    /** The first non-finite value seen since the check opened, if any. */
    public Optional<NonFiniteOrigin> origin() {
        return Optional.ofNullable(origin);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (previous == null) CURRENT.remove();
        else CURRENT.set(previous);
        synchronized (FiniteCheck.class) {
            openChecks--;
        }
    }

    private static FiniteCheck current() {
        return openChecks == 0 ? null : CURRENT.get();
    }

    // ------------------------------------------------------------------ hooks: modules, tape

    /** A module's forward begins; returns whether a check heard it (then {@link #exit()} must follow). */
    public static boolean enter(Object module) {
        FiniteCheck c = current();
        if (c == null) return false;
        c.scopes.push(module);
        return true;
    }

    public static void exit() {
        FiniteCheck c = current();
        if (c != null && !c.scopes.isEmpty()) c.scopes.pop();
    }

    /** The name of the module whose forward is running, or null (no check open, or outside every named module). */
    public static String scope() {
        FiniteCheck c = current();
        if (c == null) return null;
        for (Object module : c.scopes) { // innermost first
            String name = c.scopeNames.get(module);
            if (name != null) return name;
        }
        return null;
    }

    // ------------------------------------------------------------------ hooks: forward and backward

    /** After an op computed {@code out} from {@code inputs} (called whether or not it is recorded on the tape). */
    public static void afterForward(String op, Tensor[] inputs, Tensor out) {
        FiniteCheck c = current();
        if (c == null || c.origin != null || c.backwardDepth > 0) return;
        int bad = NonFiniteCount.of(out);
        if (bad == 0) return;
        c.forwardOrigin(op, inputs, out, bad);
    }

    private void forwardOrigin(String op, Tensor[] inputs, Tensor out, int bad) {
        String scope = scope();
        String parameter = null;
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in == null) continue;
            String name = parameterNames.get(in);
            if (parameter == null) parameter = parameterBehind(in);
            int inBad = NonFiniteCount.of(in);
            if (inBad == 0) continue;
            if (name != null || in.gradFn() == null) {
                String what = name != null ? "the weight " + name : "an input from outside the step's ops (the batch)";
                origin = new NonFiniteOrigin(step, NonFiniteOrigin.Phase.INPUT, op, scope, name, inBad, in.numel(),
                        what + " already held " + NonFiniteCount.describe(in) + " when op " + op + " read it");
                return;
            }
            origin = new NonFiniteOrigin(step, NonFiniteOrigin.Phase.FORWARD, op, scope, parameter, bad, out.numel(),
                    "input " + i + " was already non-finite (" + NonFiniteCount.describe(in) + "), made by " + in.gradFn().op());
            return;
        }
        origin = new NonFiniteOrigin(step, NonFiniteOrigin.Phase.FORWARD, op, scope, parameter, bad, out.numel(),
                "output " + NonFiniteCount.describe(out) + " from finite inputs " + NonFiniteCount.ranges(inputs));
    }

    /** The parameter an input is, or is a view of (a linear layer multiplies by its weight's transpose), or null. */
    private String parameterBehind(Tensor t) {
        for (int depth = 0; t != null && depth < 4; depth++) {
            String name = parameterNames.get(t);
            if (name != null) return name;
            Node node = t.gradFn();
            if (node == null || node.inputs().length != 1) return null;
            t = node.inputs()[0];
        }
        return null;
    }

    /** Whether a backward pass begins under a check; if so {@link #exitBackward()} must follow. */
    static boolean enterBackward() {
        FiniteCheck c = current();
        if (c == null) return false;
        c.backwardDepth++;
        return true;
    }

    static void exitBackward() {
        FiniteCheck c = current();
        if (c != null && c.backwardDepth > 0) c.backwardDepth--;
    }

    /** After {@code node}'s backward turned the finite gradient {@code gradOut} into {@code inputGrads}. */
    static void afterBackward(Node node, Tensor gradOut, Tensor[] inputGrads) {
        FiniteCheck c = current();
        if (c == null || c.origin != null || NonFiniteCount.of(gradOut) > 0) return;
        Tensor[] inputs = node.inputs();
        for (int i = 0; i < inputGrads.length; i++) {
            Tensor g = inputGrads[i];
            if (g == null) continue;
            int bad = NonFiniteCount.of(g);
            if (bad == 0) continue;
            String parameter = inputs[i] == null ? null : c.parameterNames.get(inputs[i]);
            c.origin = new NonFiniteOrigin(c.step, NonFiniteOrigin.Phase.BACKWARD, node.op(), node.scope(), parameter, bad, g.numel(),
                    "the gradient for input " + i + " has " + NonFiniteCount.describe(g) + " from a finite incoming gradient "
                            + NonFiniteCount.ranges(new Tensor[] {gradOut}) + "; the op's inputs " + NonFiniteCount.ranges(inputs));
            return;
        }
    }

    /** After two finite gradient contributions to {@code input} were added into {@code sum}. */
    static void afterGradientSum(Tensor input, Tensor a, Tensor b, Tensor sum) {
        FiniteCheck c = current();
        if (c == null || c.origin != null) return;
        int bad = NonFiniteCount.of(sum);
        if (bad == 0 || NonFiniteCount.of(a) > 0 || NonFiniteCount.of(b) > 0) return;
        c.origin = new NonFiniteOrigin(c.step, NonFiniteOrigin.Phase.BACKWARD, "gradient sum", input.gradFn() == null ? null : input.gradFn().scope(),
                c.parameterNames.get(input), bad, sum.numel(), "two finite gradient contributions " + NonFiniteCount.ranges(new Tensor[] {a, b})
                        + " overflowed when added");
    }

    // ------------------------------------------------------------------ hooks: optimizer

    /** True when a check is open on this thread: the optimizer then checks each link ({@link #afterLink}). */
    public static boolean isOn() {
        return current() != null;
    }

    /** Which rows (one per parameter) hold only finite values. */
    public static boolean[] finiteRows(float[][] rows) {
        boolean[] finite = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) finite[i] = NonFiniteCount.of(rows[i]) == 0;
        return finite;
    }

    /**
     * After an optimizer link turned updates that were finite where {@code finiteBefore} says into {@code updates}.
     *
     * @param params the weights, to name the parameter (by identity of its storage)
     */
    public static void afterLink(String link, boolean[] finiteBefore, float[][] updates, float[][] params) {
        FiniteCheck c = current();
        if (c == null || c.origin != null) return;
        for (int i = 0; i < updates.length; i++) {
            if (!finiteBefore[i]) continue;
            int bad = NonFiniteCount.of(updates[i]);
            if (bad == 0) continue;
            String parameter = c.parameterNames.get(params[i]);
            c.origin = new NonFiniteOrigin(c.step, NonFiniteOrigin.Phase.UPDATE, link, null, parameter, bad, updates[i].length,
                    "the optimizer link " + link + " made " + NonFiniteCount.describe(updates[i]) + " in the update of "
                            + (parameter == null ? "parameter " + i : parameter) + " from a finite incoming update");
            return;
        }
    }

    /**
     * Before the optimizer's chain reads the gradients ({@code grads}, one row per parameter): a non-finite one that no
     * op's backward made (a step hook, a gradient written directly) came in from outside the ops.
     */
    public static void beforeUpdate(float[][] grads, float[][] params) {
        FiniteCheck c = current();
        if (c == null || c.origin != null) return;
        for (int i = 0; i < grads.length; i++) {
            int bad = NonFiniteCount.of(grads[i]);
            if (bad == 0) continue;
            String parameter = c.parameterNames.get(params[i]);
            c.origin = new NonFiniteOrigin(c.step, NonFiniteOrigin.Phase.INPUT, "gradient", null, parameter, bad, grads[i].length,
                    "the gradient of " + (parameter == null ? "parameter " + i : parameter) + " held " + NonFiniteCount.describe(grads[i])
                            + " when the optimizer read it, though no op's backward made it (a step hook or code that wrote the gradient)");
            return;
        }
    }

    /** After the finite updates were added to the weights that were finite where {@code finiteBefore} says. */
    public static void afterUpdate(boolean[] finiteBefore, boolean[] updateFinite, float[][] params) {
        FiniteCheck c = current();
        if (c == null || c.origin != null) return;
        for (int i = 0; i < params.length; i++) {
            if (!finiteBefore[i] || !updateFinite[i]) continue;
            int bad = NonFiniteCount.of(params[i]);
            if (bad == 0) continue;
            String parameter = c.parameterNames.get(params[i]);
            c.origin = new NonFiniteOrigin(c.step, NonFiniteOrigin.Phase.UPDATE, "w + update", null, parameter, bad, params[i].length,
                    "adding a finite update to the finite weights of " + parameter + " overflowed to " + NonFiniteCount.describe(params[i]));
            return;
        }
    }
}

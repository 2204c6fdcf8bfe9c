/**
 * The project's own lint rules, run by `deno lint` (deno.json `lint.plugins`).
 *
 * `trailscraper/function-size`: a function in `src/` is at most 60 lines. A hot loop that is faster whole may be
 * longer: it says why with `// deno-lint-ignore trailscraper/function-size -- <why>` on the line before it.
 */
const MAX_LINES = 60;

type Spanned = Deno.lint.Node & { range: Deno.lint.Range };

const plugin: Deno.lint.Plugin = {
  name: "trailscraper",
  rules: {
    "function-size": {
      create(context) {
        if (!context.filename.replaceAll("\\", "/").includes("/src/")) return {};
        const check = (node: Spanned) => {
          const [start, end] = node.range;
          const lines = context.sourceCode.text.slice(start, end).split("\n").length;
          if (lines <= MAX_LINES) return;
          context.report({
            node,
            message: `this function has ${lines} lines; at most ${MAX_LINES} in src/`,
            hint: "split it into functions named after what they do, or say why a hot loop stays whole",
          });
        };
        return { FunctionDeclaration: check, FunctionExpression: check, ArrowFunctionExpression: check };
      },
    },
  },
};

export default plugin;

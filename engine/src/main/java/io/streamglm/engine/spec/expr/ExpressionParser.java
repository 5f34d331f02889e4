package io.streamglm.engine.spec.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small recursive-descent parser for {@link Expression}s. Grammar, loosest first:
 * <pre>
 *   comparison := additive (("&gt;" | "&lt;" | "&gt;=" | "&lt;=" | "==" | "!=") additive)?
 *   additive   := multiplicative (("+" | "-") multiplicative)*
 *   unary      := "-" unary | power           (so -x ** 2 is -(x ** 2), as in R)
 *   multiplicative := unary (("*" | "/") unary)*
 *   power      := primary (("**" | "^") unary)?   (right-associative)
 *   primary    := number | column | function "(" args ")" | "(" comparison ")"
 * </pre>
 * Columns are bare names ({@code [A-Za-z_][A-Za-z0-9_.]*}) or back-quoted ({@code `odd name`}).
 */
public final class ExpressionParser {
    private static final Map<String, Integer> FUNCTIONS = Map.of("log", 1, "exp", 1, "sqrt", 1, "abs", 1,
            "min", 2, "max", 2);

    private final String text;
    private int pos;

    private ExpressionParser(String text) {
        this.text = text;
    }

    /** Parses {@code text}; throws {@link ExpressionException} naming the position of the first problem. */
    public static Expression parse(String text) {
        ExpressionParser p = new ExpressionParser(text);
        p.skipSpaces();
        if (p.pos >= text.length()) {
            throw new ExpressionException("is empty", 0);
        }
        Expression e = p.comparison();
        p.skipSpaces();
        if (p.pos < text.length()) {
            throw new ExpressionException("unexpected '" + text.charAt(p.pos) + "'", p.pos);
        }
        return e;
    }

    private Expression comparison() {
        Expression left = additive();
        skipSpaces();
        for (String op : List.of(">=", "<=", "==", "!=", ">", "<")) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return new Expression.Binary(op, left, additive());
            }
        }
        return left;
    }

    private Expression additive() {
        Expression left = multiplicative();
        while (true) {
            skipSpaces();
            if (peek('+')) {
                pos++;
                left = new Expression.Binary("+", left, multiplicative());
            } else if (peek('-')) {
                pos++;
                left = new Expression.Binary("-", left, multiplicative());
            } else {
                return left;
            }
        }
    }

    private Expression multiplicative() {
        Expression left = unary();
        while (true) {
            skipSpaces();
            if (peek('*') && !text.startsWith("**", pos)) {
                pos++;
                left = new Expression.Binary("*", left, unary());
            } else if (peek('/')) {
                pos++;
                left = new Expression.Binary("/", left, unary());
            } else {
                return left;
            }
        }
    }

    private Expression unary() {
        skipSpaces();
        if (peek('-')) {
            pos++;
            return new Expression.Negate(unary());
        }
        if (peek('+')) {
            pos++;
            return unary();
        }
        return power();
    }

    private Expression power() {
        Expression base = primary();
        skipSpaces();
        if (text.startsWith("**", pos)) {
            pos += 2;
            return new Expression.Binary("**", base, unary());
        }
        if (peek('^')) {
            pos++;
            return new Expression.Binary("**", base, unary());
        }
        return base;
    }

    private Expression primary() {
        skipSpaces();
        if (pos >= text.length()) {
            throw new ExpressionException("ends where a number, column or '(' was expected", pos);
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Expression inner = comparison();
            expect(')');
            return inner;
        }
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (c == '`') {
            int end = text.indexOf('`', pos + 1);
            if (end < 0) {
                throw new ExpressionException("has an unclosed back-quote", pos);
            }
            String name = text.substring(pos + 1, end);
            pos = end + 1;
            return new Expression.Column(name);
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                    || text.charAt(pos) == '.')) {
                pos++;
            }
            String name = text.substring(start, pos);
            skipSpaces();
            if (peek('(')) {
                Integer arity = FUNCTIONS.get(name);
                if (arity == null) {
                    throw new ExpressionException("unknown function '" + name + "' (known: " + FUNCTIONS.keySet() + ")", start);
                }
                pos++;
                List<Expression> args = new ArrayList<>();
                args.add(comparison());
                skipSpaces();
                while (peek(',')) {
                    pos++;
                    args.add(comparison());
                    skipSpaces();
                }
                expect(')');
                if (args.size() != arity) {
                    throw new ExpressionException(name + "() takes " + arity + " argument(s), got " + args.size(), start);
                }
                return new Expression.Call(name, args);
            }
            return new Expression.Column(name);
        }
        throw new ExpressionException("unexpected '" + c + "'", pos);
    }

    private Expression number() {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        try {
            return new Expression.Number(Double.parseDouble(text.substring(start, pos)));
        } catch (NumberFormatException e) {
            throw new ExpressionException("'" + text.substring(start, pos) + "' is not a number", start);
        }
    }

    private void expect(char c) {
        skipSpaces();
        if (!peek(c)) {
            throw new ExpressionException("expected '" + c + "'", pos);
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}

package io.streamglm.engine.spec.expr;

import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A parsed numeric expression over a row's columns: numbers, column names, {@code + - * /}, {@code **} and
 * {@code ^}, parentheses, {@code log exp sqrt abs}, {@code min max} of two arguments, and comparisons giving 0 or
 * 1. It can read nothing but the columns it names: no scripting engine, no reflection.
 */
public sealed interface Expression permits Expression.Number, Expression.Column, Expression.Negate,
        Expression.Binary, Expression.Call {

    /** The value for a row whose columns are looked up by name. */
    double evaluate(ToDoubleFunction<String> columns);

    /** The columns the expression reads. */
    Set<String> columns();

    /** The expression as text, normalised (fully parenthesised binary operations). */
    String text();

    record Number(double value) implements Expression {
        @Override public double evaluate(ToDoubleFunction<String> columns) {
            return value;
        }

        @Override public Set<String> columns() {
            return Set.of();
        }

        @Override public String text() {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
        }
    }

    record Column(String name) implements Expression {
        @Override public double evaluate(ToDoubleFunction<String> columns) {
            return columns.applyAsDouble(name);
        }

        @Override public Set<String> columns() {
            return Set.of(name);
        }

        @Override public String text() {
            return name.matches("[A-Za-z_][A-Za-z0-9_.]*") ? name : "`" + name + "`";
        }
    }

    record Negate(Expression operand) implements Expression {
        @Override public double evaluate(ToDoubleFunction<String> columns) {
            return -operand.evaluate(columns);
        }

        @Override public Set<String> columns() {
            return operand.columns();
        }

        @Override public String text() {
            return "-(" + operand.text() + ")";
        }
    }

    record Binary(String op, Expression left, Expression right) implements Expression {
        @Override public double evaluate(ToDoubleFunction<String> columns) {
            double a = left.evaluate(columns);
            double b = right.evaluate(columns);
            return switch (op) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "/" -> a / b;
                case "**" -> Math.pow(a, b);
                case ">" -> a > b ? 1 : 0;
                case "<" -> a < b ? 1 : 0;
                case ">=" -> a >= b ? 1 : 0;
                case "<=" -> a <= b ? 1 : 0;
                case "==" -> a == b ? 1 : 0;
                case "!=" -> a != b ? 1 : 0;
                default -> throw new IllegalStateException("operator " + op);
            };
        }

        @Override public Set<String> columns() {
            java.util.Set<String> s = new java.util.LinkedHashSet<>(left.columns());
            s.addAll(right.columns());
            return s;
        }

        @Override public String text() {
            return "(" + left.text() + " " + op + " " + right.text() + ")";
        }
    }

    record Call(String function, java.util.List<Expression> args) implements Expression {
        public Call {
            args = java.util.List.copyOf(args);
        }

        @Override public double evaluate(ToDoubleFunction<String> columns) {
            double a = args.get(0).evaluate(columns);
            return switch (function) {
                case "log" -> Math.log(a);
                case "exp" -> Math.exp(a);
                case "sqrt" -> Math.sqrt(a);
                case "abs" -> Math.abs(a);
                case "min" -> Math.min(a, args.get(1).evaluate(columns));
                case "max" -> Math.max(a, args.get(1).evaluate(columns));
                default -> throw new IllegalStateException("function " + function);
            };
        }

        @Override public Set<String> columns() {
            java.util.Set<String> s = new java.util.LinkedHashSet<>();
            args.forEach(e -> s.addAll(e.columns()));
            return s;
        }

        @Override public String text() {
            StringBuilder sb = new StringBuilder(function).append('(');
            for (int i = 0; i < args.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(args.get(i).text());
            }
            return sb.append(')').toString();
        }
    }
}

namespace Gantry.Scheduling.Query;

/// <summary>A node of a parsed cluster query expression.</summary>
internal abstract record QueryNode
{
    public abstract bool Evaluate(Candidate candidate);
}

/// <summary><c>left and right</c>.</summary>
internal sealed record AndNode(QueryNode Left, QueryNode Right) : QueryNode
{
    public override bool Evaluate(Candidate candidate) => Left.Evaluate(candidate) && Right.Evaluate(candidate);

    public override string ToString() => $"({Left} and {Right})";
}

/// <summary><c>left or right</c>.</summary>
internal sealed record OrNode(QueryNode Left, QueryNode Right) : QueryNode
{
    public override bool Evaluate(Candidate candidate) => Left.Evaluate(candidate) || Right.Evaluate(candidate);

    public override string ToString() => $"({Left} or {Right})";
}

/// <summary><c>not operand</c>.</summary>
internal sealed record NotNode(QueryNode Operand) : QueryNode
{
    public override bool Evaluate(Candidate candidate) => !Operand.Evaluate(candidate);

    public override string ToString() => $"not {Operand}";
}

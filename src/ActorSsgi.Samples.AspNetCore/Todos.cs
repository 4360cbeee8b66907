using System.Collections.Concurrent;

namespace ActorSsgi.Samples.AspNetCore;

/// <summary>A to-do item.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Title">What to do.</param>
public sealed record Todo(int Id, string Title);

/// <summary>The body of <c>POST /todos</c>, bound from JSON.</summary>
/// <param name="Title">What to do; required, at most 200 characters.</param>
public sealed record TodoInput(string? Title);

/// <summary>The sample's to-do list, in memory.</summary>
public sealed class TodoStore
{
    private readonly ConcurrentDictionary<int, Todo> _items = new();
    private int _lastId;

    /// <summary>Every item, by id.</summary>
    public IReadOnlyList<Todo> All => _items.Values.OrderBy(t => t.Id).ToArray();

    /// <summary>Adds an item.</summary>
    /// <param name="title">What to do.</param>
    /// <returns>The new item.</returns>
    public Todo Add(string title)
    {
        var todo = new Todo(Interlocked.Increment(ref _lastId), title);
        _items[todo.Id] = todo;
        return todo;
    }

    /// <summary>The item with <paramref name="id"/>, if any.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The item or <c>null</c>.</returns>
    public Todo? Find(int id) => _items.TryGetValue(id, out var todo) ? todo : null;
}

/// <summary><c>/todos</c>: list, create (201 with Location; 400 problem details for an invalid body), read one.</summary>
internal static class TodoRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/todos", (TodoStore store) => Results.Json(store.All, SampleJson.Default.IReadOnlyListTodo));
        app.MapGet("/todos/{id:int}", (int id, TodoStore store) =>
            store.Find(id) is { } todo ? Results.Json(todo, SampleJson.Default.Todo) : Results.NotFound());
        app.MapPost("/todos", (TodoInput input, TodoStore store) =>
        {
            if (string.IsNullOrWhiteSpace(input.Title) || input.Title.Length > 200)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["title"] = ["A title of 1 to 200 characters is required."],
                });
            }

            var todo = store.Add(input.Title);
            return Results.Created($"/todos/{todo.Id}", todo);
        });
    }
}

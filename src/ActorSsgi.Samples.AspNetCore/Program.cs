using ActorSsgi.Samples.AspNetCore;

// An ordinary minimal-API program; SampleApp.Build is where the one ActorSsgi line is (tests build the same app).
SampleApp.Build(args).Run();

"use strict";
const { Model } = require("sequelize");

module.exports = (sequelize, DataTypes) => {
  class Post extends Model {
    static associate(models) {
      Post.belongsTo(models.User, { as: "author", foreignKey: "authorId" });
      Post.hasMany(models.Comment, { foreignKey: "postId", onDelete: "CASCADE" });
      Post.belongsToMany(models.Tag, { through: "PostTags" });
    }
  }
  Post.init(
    {
      title: {
        type: DataTypes.STRING(200),
        allowNull: false,
      },
      slug: {
        type: DataTypes.STRING(200),
        allowNull: false,
      },
      body: {
        type: DataTypes.TEXT,
        allowNull: false,
        defaultValue: "",
      },
      status: {
        type: DataTypes.ENUM("draft", "published", "archived"),
        allowNull: false,
        defaultValue: "draft",
      },
      rating: DataTypes.DECIMAL(3, 2),
      views: {
        type: DataTypes.BIGINT,
        allowNull: false,
        defaultValue: 0,
      },
      metadata: DataTypes.JSONB,
      publishedAt: DataTypes.DATE,
    },
    {
      sequelize,
      modelName: "Post",
      paranoid: true,
      indexes: [
        { unique: true, fields: ["slug"] },
        { fields: ["status", "publishedAt"] },
        { name: "posts_title_search", fields: ["title"], where: { status: "published" } },
      ],
    },
  );
  return Post;
};

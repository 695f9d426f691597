"use strict";
const { Op } = require("sequelize");
const { Post, User } = require("../models");

/** Sign-in: the user behind an e-mail address. */
function userByEmail(email) {
  return User.findOne({ where: { email } });
}

/** The post page: one post by its URL. */
function postBySlug(slug) {
  return Post.findOne({ where: { slug } });
}

/** The front page: the latest published posts. */
function latestPublished(limit = 10) {
  return Post.findAll({
    where: { status: "published" },
    order: [["publishedAt", "DESC"]],
    limit,
  });
}

/** The author page: an author's posts, newest first (no index leads with `authorId`). */
function byAuthor(authorId, limit = 10) {
  return Post.findAll({ where: { authorId }, order: [["createdAt", "DESC"]], limit });
}

/** The related-posts box: the posts a list of slugs names. */
function bySlugs(slugs) {
  return Post.findAll({ where: { slug: { [Op.in]: slugs } } });
}

/** The archive: published posts of a period. */
function publishedBetween(from, to) {
  return Post.findAll({
    where: { status: "published", publishedAt: { [Op.between]: [from, to] } },
  });
}

/** The search box: titles containing a word, any case. */
function searchTitles(term) {
  return Post.findAll({ where: { title: { [Op.iLike]: `%${term}%` } }, limit: 20 });
}

/** The dashboard: how many posts wait in drafts. */
function countDrafts() {
  return Post.count({ where: { status: "draft" } });
}

module.exports = {
  userByEmail,
  postBySlug,
  latestPublished,
  byAuthor,
  bySlugs,
  publishedBetween,
  searchTitles,
  countDrafts,
};
